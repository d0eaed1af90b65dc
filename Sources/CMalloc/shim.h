#ifndef ONVERA_CMALLOC_SHIM_H
#define ONVERA_CMALLOC_SHIM_H
// glibc's allocator statistics and trimming (mallinfo2, malloc_trim); not in Swift's Glibc module.
#include <malloc.h>
#endif
