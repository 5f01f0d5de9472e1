-- The same loop in Lua 5.4, with a local accumulator (bench_interp's peer).
local function sumloop(n)
    local s = 0.0
    for i = 1, n do s = s + 1.0 * i end
    return s
end
print(sumloop(10^7))
