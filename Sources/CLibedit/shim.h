// libedit's readline interface, for the shell's interactive input (Sources/ShellKit/InteractiveInput.swift):
// line editing and history from Debian's libedit-dev rather than a hand-written editor. readline.h uses
// FILE without including <stdio.h>.
#include <stdio.h>
#include <editline/readline.h>
