// liburing for the io_uring back-end (Sources/IO/IOUring). Linux only; the IO
// target depends on this module only there (Package.swift).
// <features.h> first: without it Glibc's module and liburing's headers
// disagree about the feature macros and the import fails.
#include <features.h>
#include <liburing.h>
// The completion notifier and its reactor (Sources/IO/IOUring/CompletionReactor.swift).
#include <sys/epoll.h>
#include <sys/eventfd.h>
