#!/usr/bin/perl
# session.pl — drives the real `lx` program through a pseudo-terminal (tmux),
# as a person at the prompt would, and checks what the screen shows.  Each
# step waits for the text it expects (never a fixed sleep), up to a deadline.
#   perl session.pl path/to/lx
use strict;
use warnings;
use File::Temp qw(tempdir);

my $lx = shift or die "usage: session.pl lx\n";
my $tmux = "tmux";
my $dir = tempdir(CLEANUP => 1);
my $sock = "$dir/tmux.sock";
my $timeout = $ENV{LX_REPL_TIMEOUT} || 60; # seconds one step may take (sanitizer builds are slow)
my ($n, $failed) = (0, 0);
$ENV{TERM} = 'xterm-256color';
$ENV{HOME} = $dir;                            # no ~/.inputrc, ~/.lx_history of the person running
$ENV{INPUTRC} = '/dev/null';

sub ok($$;$) {
    my ($cond, $name, $diag) = @_;
    $n++;
    print(($cond ? "ok" : "not ok") . " $n - $name\n");
    if (!$cond) {
        $failed++;
        if (defined $diag) { print "# $_\n" for split /\n/, $diag; }
    }
    return $cond;
}

sub tmux { system($tmux, '-S', $sock, @_) == 0 }
sub screen {   # the whole pane, scrollback included, wrapped lines joined
    my @opt = @_;
    open(my $fh, '-|', $tmux, '-S', $sock, 'capture-pane', '-p', '-J', @opt, '-S', '-', '-t', 'lx') or return '';
    local $/;
    my $s = <$fh> // '';
    close $fh;
    $s =~ s/\s+\z//;
    return $s;
}

# Starts lx in a new pane; $env: extra environment assignments; status goes to $dir/status.
sub start {
    my ($env, @args) = @_;
    stop();
    unlink "$dir/status";
    my $cmd = join(' ', (map { "$_='$env->{$_}'" } sort keys %$env), $lx, @args) . "; echo \$? > $dir/status; sleep 600";
    for my $try (1 .. 50) { # a server that is still going away refuses a new session for a moment
        return if tmux('new-session', '-d', '-s', 'lx', '-x', '200', '-y', '50', $cmd);
        select(undef, undef, undef, 0.1);
    }
    die "tmux cannot start a session\n";
}

sub stop {
    return unless -e $sock;
    system($tmux, '-S', $sock, 'kill-server');
    for (1 .. 50) {
        last unless system("$tmux -S '$sock' has-session 2>/dev/null") == 0;
        select(undef, undef, undef, 0.1);
    }
    unlink $sock;
}

# Waits until the screen (after the first $from characters) matches $re.
sub wait_for {
    my ($re, $from, @opt) = @_;
    my $end = time + $timeout;
    my $s;
    while (1) {
        $s = screen(@opt);
        my $new = substr($s, $from < length($s) ? $from : length($s));
        return $new if $new =~ $re;
        last if time > $end;
        select(undef, undef, undef, 0.05);
    }
    return undef;
}

sub type_text {
    my $t = shift;
    $t =~ s/;\z/\\;/; # tmux reads a trailing ; as the end of its command
    tmux('send-keys', '-t', 'lx', '-l', $t);
}

# Where the last line of the screen starts: what a step prints comes after it.
sub mark {
    my $s = screen();
    my $i = rindex($s, "\n");
    return $i < 0 ? 0 : $i;
}
sub press { tmux('send-keys', '-t', 'lx', @_) }

# Types a line and waits for the next `lx> ` prompt; returns the text it printed.
sub enter {
    my ($text) = @_;
    my $from = mark();
    type_text($text) if length $text;
    press('Enter');
    # the prompt line it was typed on, then a new prompt
    my $out = wait_for(qr/\n[\s\S]*\n(?:lx|help\?|  \.\.\.)>\s*\z/, $from);
    return $out // ('TIMEOUT; the screen was:' . substr(screen(), $from));
}

sub wait_exit {
    my $end = time + $timeout;
    while (time <= $end) {
        if (open(my $fh, '<', "$dir/status")) {
            my $st = <$fh>;
            close $fh;
            if (defined $st && $st =~ /^(\d+)/) { return $1 }
        }
        select(undef, undef, undef, 0.05);
    }
    return -1;
}

my $hist = "$dir/history";

# ---- prompt, input, display ----------------------------------------------------------------
start({LX_HISTORY => $hist});
my $out = wait_for(qr/lx>\s*\z/m, 0);
ok(defined $out && $out =~ /^lx \d+\.\d+\.\d+/ && $out =~ /\? for help/, 'banner with the version and the ? hint', $out);

$out = enter('function sq(x)');
ok($out =~ /  \.\.\.>\s*\z/, 'an open function continues on the next line', $out);
$out = enter('x * x');
$out = enter('end');
ok($out =~ /sq \(generic function with 1 method\)/, 'the whole definition runs at its end', $out);
$out = enter('sq(7)');
ok($out =~ /^49$/m, 'the function defined over three lines works', $out);

$out = enter('y = 41;');
ok($out !~ /^41$/m, 'a trailing ; prints nothing', $out);
$out = enter('y + 1');
ok($out =~ /^42$/m, 'the silenced assignment happened', $out);
$out = enter('ans * 2');
ok($out =~ /^84$/m, 'ans is the last value', $out);

$out = enter('[1 2');
$out = enter('3 4]');
ok($out =~ /2×2 Tensor\{Int64, 2\}:\n 1  2\n 3  4/, 'an open bracket continues; a matrix shows as Julia shows it', $out);
$out = enter('"abc');
$out = enter('def"');
ok($out =~ /^"abc\\ndef"$/m, 'an open string continues', $out);
$out = enter('0.1f0');
ok($out =~ /^0\.1f0$/m, 'Float32 numbers in Julia\'s format', $out);

$out = enter('model = Chain(Dense(2 => 3, relu), Dense(3 => 1))');
ok($out =~ /layer_1 = Dense\(2 => 3, relu\),\s+# 9 parameters/ && $out =~ /Total: 13 parameters/,
   'a layer shows as Lux shows it, with parameter counts', $out);
$out = enter('ps, st = Lux.setup(Xoshiro(0), model);');
$out = enter('ps');
ok($out =~ /layer_1 = \(\n\s+weight = 3×2 Tensor\{Float32, 2\},\n\s+bias = 3-element/, 'parameters show as a tree of names with sizes', $out);

# ---- errors leave a working prompt ----------------------------------------------------------
$out = enter('1 +* 2');
ok($out =~ /ERROR: ParseError/, 'a syntax error is reported', $out);
$out = enter('g(n) = g(n + 1); g(1)');
ok($out =~ /ERROR: StackOverflowError/, 'a deep recursion is a StackOverflowError', $out);
$out = enter('error("boom")');
ok($out =~ /ERROR: boom\nStacktrace:/, 'an error prints its message and a stack trace', $out);
$out = enter("\xff\xfe\x80 garbage \xc3(");
$out = enter(')') if $out =~ /\.\.\.>\s*\z/;
ok($out =~ /ERROR:/, 'binary garbage gives an error', $out);
$out = enter('sq(3)');
ok($out =~ /^9$/m, 'the session goes on after the errors', $out);

# ---- Ctrl-C ---------------------------------------------------------------------------------
my $from = mark();
type_text('while true end');
press('Enter');
select(undef, undef, undef, 0.3);
press('C-c');
$out = wait_for(qr/InterruptException[\s\S]*\nlx>\s*\z/, $from);
ok(defined $out, 'Ctrl-C stops a running loop with InterruptException', $out // screen());
$out = enter('sq(5)');
ok($out =~ /^25$/m, 'the state is usable after the interrupt', $out);

$from = mark();
type_text('A = rand(Float32, 4000, 4000); B = A * A * A * A;');
press('Enter');
select(undef, undef, undef, 0.5);
press('C-c');
$out = wait_for(qr/InterruptException[\s\S]*\nlx>\s*\z/, $from);
ok(defined $out, 'Ctrl-C in the middle of matrix products', $out // screen());
$out = enter('sq(6)');
ok($out =~ /^36$/m, 'the state is usable after interrupting a matrix product', $out);

$from = mark();
type_text('this line is dropped');
press('C-c');
$out = wait_for(qr/\^C\nlx>\s*\z/, $from);
ok(defined $out, 'Ctrl-C at the prompt clears the line', $out // screen());
$out = enter('begin');
$from = mark();
press('C-c');
$out = wait_for(qr/\^C\nlx>\s*\z/, $from);
ok(defined $out, 'Ctrl-C drops an unfinished input', $out // screen());
$out = enter('sq(4)');
ok($out =~ /^16$/m && $out !~ /dropped/, 'nothing of the dropped lines runs', $out);

# ---- help mode -----------------------------------------------------------------------------
$from = mark();
press('?');
ok(defined wait_for(qr/help\?>\s*\z/, $from), '? at the start of an empty line switches to help?>');
$out = enter('Dense');
ok($out =~ /Dense\(in => out/ && $out =~ /Arguments/ && $out =~ /lx> d = Dense\(2 => 3, relu\)/,
   '?Dense prints the docstring: signature, arguments, examples', $out);
ok($out =~ /\nlx>\s*\z/, 'after one help query the prompt is lx> again', $out);
press('?');
$out = enter('@debug_mode');
ok($out =~ /\@debug_mode/ && $out =~ /nan_check/, '?@debug_mode prints the macro\'s docstring', $out);
press('?');
$out = enter('nonexistent');
ok($out =~ /No documentation found/, '?nonexistent says there is none', $out);
press('?');
$out = enter('softmx');
ok($out =~ /softmax/, '?softmx suggests the close name softmax', $out);
$from = mark();
press('?');
wait_for(qr/help\?>\s*\z/, $from);
press('BSpace');
ok(defined wait_for(qr/\nlx>\s*\z/, $from), 'backspace on an empty help line goes back to lx>');
$out = enter('help(sq)');
ok($out =~ /No documentation found|sq/, 'help(x) works from code', $out);

# ---- completion ----------------------------------------------------------------------------
$from = mark();
type_text('ps.la');
press('Tab');
$out = wait_for(qr/lx> ps\.layer_\z/, $from);
ok(defined $out, 'ps.la<TAB> completes to ps.layer_', $out // screen());
press('Tab', 'Tab');
$out = wait_for(qr/ps\.layer_1\s+ps\.layer_2/, $from);
ok(defined $out, 'a second Tab lists ps.layer_1 and ps.layer_2', $out // screen());
type_text('1.w');
press('Tab');
$out = wait_for(qr/ps\.layer_1\.weight\z/, $from);
ok(defined $out, 'ps.layer_1.w<TAB> completes the field weight', $out // screen());
$out = enter('');
ok($out =~ /3×2 Tensor\{Float32, 2\}/, 'the completed expression runs', $out);
$from = mark();
type_text('Lux.Dens');
press('Tab');
ok(defined wait_for(qr/lx> Lux\.Dense\z/, $from), 'Lux.Dens<TAB> completes a module member');
press('C-u');
type_text('softm');
press('Tab');
ok(defined wait_for(qr/lx> softmax\z/, $from), 'a global name completes');
press('C-u');
type_text("readlines(\"$dir/hist");
press('Tab');
ok(defined wait_for(qr/history"?\z/, $from), 'a file name completes inside a string');
press('C-u');
enter('');

# ---- history and exit ----------------------------------------------------------------------
$from = mark();
press('C-d');
ok(wait_exit() == 0, 'Ctrl-D on an empty line ends the session with status 0');
start({LX_HISTORY => $hist}, '-q');
$out = wait_for(qr/lx>\s*\z/, 0);
ok(defined $out && $out !~ /\? for help/, '-q leaves out the banner', $out);
$from = mark();
press('Up');
ok(defined wait_for(qr/lx> Lux\.setup|lx> ps\.layer_1\.weight\z/, $from), 'history from the last session comes back with Up');
press('C-u');
press('C-r');
type_text('function sq');
ok(defined wait_for(qr/function sq/, $from), 'Ctrl-R finds the multi-line definition of the last session');
press('Enter');
$out = wait_for(qr/sq \(generic function with 1 method\)[\s\S]*\nlx>\s*\z/, $from);
ok(defined $out, 'the recalled multi-line definition runs as one input', $out // screen());
$out = enter('sq(8)');
ok($out =~ /^64$/m, 'and defines the function again', $out);
type_text('exit(3)');
press('Enter');
ok(wait_exit() == 3, 'exit(3) ends the session with status 3');

# ---- colour --------------------------------------------------------------------------------
start({LX_HISTORY => ''}, '-q');
wait_for(qr/lx>\s*\z/, 0);
my $esc = screen('-e');
ok($esc =~ /\e\[(?:1;)?32mlx>/, 'the prompt is coloured on a terminal', $esc);
enter('error("red")');
$esc = screen('-e');
ok($esc =~ /\e\[(?:1;)?31mERROR:/, 'errors are red', $esc);
press('C-d');
wait_exit();
start({LX_HISTORY => '', NO_COLOR => '1'}, '-q');
wait_for(qr/lx>\s*\z/, 0);
enter('error("plain")');
press('?');
enter('Dense');
$esc = screen('-e');
ok($esc !~ /\e\[[0-9;]*m/, 'NO_COLOR: no colour anywhere', $esc);
press('C-d');
wait_exit();
ok(!-e "$dir/.lx_history", 'an empty LX_HISTORY keeps no history');

# ---- a script, then the prompt -------------------------------------------------------------
open(my $fh, '>', "$dir/script.lx") or die;
print $fh "z = 6 * 7\n";
close $fh;
start({LX_HISTORY => ''}, '-q', '-i', "$dir/script.lx");
wait_for(qr/lx>\s*\z/, 0);
$out = enter('z');
ok($out =~ /^42$/m, 'lx -i script.lx runs the script, then stays at the prompt', $out);
press('C-d');
wait_exit();

# ---- piped standard input ------------------------------------------------------------------
my $piped = `echo 'println(1 + 1)' | $lx 2>&1`;
ok($? == 0 && $piped eq "2\n", 'piped input runs as a script with no prompt', $piped);
$piped = `printf 'x = 1\\nprintln(x +* 2)' | $lx 2>&1`;
ok($? >> 8 == 1 && $piped =~ /ERROR: ParseError/ && $piped !~ /lx>/, 'a piped script with a syntax error fails with status 1', $piped);
$piped = `printf 'print("a")\\nexit(4)\\nprint("b")' | $lx 2>&1`;
ok($? >> 8 == 4 && $piped eq 'a', 'exit(4) in piped input ends it with status 4', $piped);

stop();
print "1..$n\n";
exit($failed ? 1 : 0);
