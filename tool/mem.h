/* Allocation wrappers that abort on out-of-memory, so callers never check for NULL. */
#ifndef GALLEY_MEM_H
#define GALLEY_MEM_H

#include <stddef.h>

/* Each returns memory the caller owns and frees with free(); none returns NULL. */
void *mem_alloc(size_t size);
void *mem_zalloc(size_t count, size_t size);
void *mem_realloc(void *ptr, size_t size);
/* Grows an array of count elements of size bytes to hold at least need elements. */
void *mem_grow(void *ptr, size_t *count, size_t need, size_t size);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);

#endif
