/* Allocation wrappers that abort on out-of-memory, so callers never check for NULL. */
#include "mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
mem_check(void *p)
{
	if (p == NULL) {
		fputs("galley: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
mem_alloc(size_t size)
{
	return mem_check(malloc(size ? size : 1));
}

void *
mem_zalloc(size_t count, size_t size)
{
	return mem_check(calloc(count ? count : 1, size ? size : 1));
}

void *
mem_realloc(void *ptr, size_t size)
{
	return mem_check(realloc(ptr, size ? size : 1));
}

void *
mem_grow(void *ptr, size_t *count, size_t need, size_t size)
{
	size_t n = *count ? *count : 8;

	if (need <= *count)
		return ptr;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			mem_check(NULL);
		n *= 2;
	}
	*count = n;
	return mem_realloc(ptr, n * size);
}

char *
mem_strdup(const char *s)
{
	return mem_strndup(s, strlen(s));
}

char *
mem_strndup(const char *s, size_t n)
{
	char *p = mem_alloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
