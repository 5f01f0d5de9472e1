#!/usr/bin/perl
# c_snippets.pl — the C programs in a guide (```c blocks with a main) are
# compiled against the library and run; the ```text block after "prints"
# that follows one must be exactly what it printed. TAP, run by prove.
# Usage: c_snippets.pl GUIDE.md CC CFLAGS... -- LIBS...
use strict;
use warnings;
use File::Temp qw(tempdir);

my ($guide, $cc, @rest) = @ARGV;
my ($sep) = grep { $rest[$_] eq '--' } 0 .. $#rest;
my @cflags = @rest[0 .. $sep - 1];
my @libs = @rest[$sep + 1 .. $#rest];

open my $fh, '<', $guide or die "$guide: $!";
my $text = do { local $/; <$fh> };
close $fh;

my @programs;
while ($text =~ /```c\n(.*?)```\s*\n(?:prints\s*\n+```text\n(.*?)```)?/sg) {
    my ($code, $want) = ($1, $2);
    push @programs, [$code, $want] if $code =~ /\bint main\b/;
}
my $dir = tempdir(CLEANUP => 1);
my $n = 0;
for my $p (@programs) {
    my ($code, $want) = @$p;
    $n++;
    my $src = "$dir/prog$n.c";
    open my $out, '>', $src or die;
    print $out $code;
    close $out;
    my $cmd = join ' ', $cc, @cflags, '-o', "$dir/prog$n", $src, @libs, '2>&1';
    my $log = `$cmd`;
    if ($?) {
        print "not ok $n - $guide: program $n compiles\n";
        print map { "# $_\n" } split /\n/, $log;
        next;
    }
    my $got = `cd $dir && ./prog$n 2>&1`;
    my $status = $? >> 8;
    if ($status != 0) {
        print "not ok $n - $guide: program $n runs (status $status)\n";
        print map { "# $_\n" } split /\n/, $got;
    } elsif (defined $want && $got ne $want) {
        print "not ok $n - $guide: program $n prints what the guide says\n";
        print map { "# got:  $_\n" } split /\n/, $got;
        print map { "# want: $_\n" } split /\n/, $want;
    } else {
        print "ok $n - $guide: program $n compiles, runs" . (defined $want ? " and prints what the guide says" : "") . "\n";
    }
}
print "1..$n\n";
