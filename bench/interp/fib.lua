-- The same program in Lua 5.4: a global function (bench_interp's peer).
function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(27))
