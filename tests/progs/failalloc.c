/*
 * failalloc.c: an LD_PRELOAD library that makes one allocation fail, to
 * test that pam_seckey.so (and what it calls) survives running out of
 * memory at any point of a sign-in.
 *
 * Nothing is counted until the program calls failalloc_start(), which
 * tests/progs/pamdriver does (looking it up with dlsym) right before each PAM
 * operation, and failalloc_stop() right after it: the allocations of
 * pam_start, the wrappers and the program itself do not count.  Between
 * the two, every allocation is numbered, whoever makes it: the module,
 * libpam, libfido2, OpenSSL, libconfuse, libc.
 *
 *	FAILALLOC_N=N		the Nth counted allocation returns NULL
 *				(ENOMEM); 0 or unset: none fails, count only
 *	FAILALLOC_REPORT=FILE	appended to: "fail N" and the call stack of
 *				the allocation made to fail, when it happens
 *				(so a crash right after still leaves it), and
 *				"count M" at failalloc_stop()
 *	FAILALLOC_SKIP=A,B	allocations made by an object whose path
 *				contains A or B are not counted (the test
 *				suite's nss_wrapper and pam_wrapper, which
 *				stand in for the system and are not robust)
 *	FAILALLOC_TRACE=FILE	appended to: "N OBJECT" for every counted
 *				allocation
 *
 * The object that makes an allocation is the first one on the call stack
 * outside libc and this library: strdup() called by libconfuse is
 * libconfuse's allocation.
 *
 * The real functions come from dlsym(RTLD_NEXT); dlsym may itself
 * allocate, so until they are known a small static arena serves.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT		__attribute__((__visibility__("default")))
#define ARENA_SIZE	65536
#define ARENA_ALIGN	16
#define STACK_DEPTH	32
#define MAX_OBJECTS	256

void	failalloc_start(void) EXPORT;
void	failalloc_stop(void) EXPORT;
void	*malloc(size_t) EXPORT;
void	*calloc(size_t, size_t) EXPORT;
void	*realloc(void *, size_t) EXPORT;
void	*reallocarray(void *, size_t, size_t) EXPORT;
void	 free(void *) EXPORT;
int	 posix_memalign(void **, size_t, size_t) EXPORT;
void	*aligned_alloc(size_t, size_t) EXPORT;
void	*memalign(size_t, size_t) EXPORT;
void	*valloc(size_t) EXPORT;

static void	*(*real_malloc)(size_t);
static void	*(*real_calloc)(size_t, size_t);
static void	*(*real_realloc)(void *, size_t);
static void	 (*real_free)(void *);
static int	 (*real_posix_memalign)(void **, size_t, size_t);
static void	*(*real_aligned_alloc)(size_t, size_t);
static void	*(*real_memalign)(size_t, size_t);
static void	*(*real_valloc)(size_t);

static unsigned char	arena[ARENA_SIZE] __attribute__((aligned(ARENA_ALIGN)));
static size_t		arena_used;
static int		resolving;
static int		counting;
static unsigned long	count;
static unsigned long	fail_at;
static __thread int	in_hook;	/* our own allocations never count */

struct object {
	uintptr_t	 lo, hi;
	const char	*path;
};
static struct object	objects[MAX_OBJECTS];
static size_t		nobjects;

/* Bootstrap allocations: a size header, then the block; never freed. */
static void *
arena_alloc(size_t size)
{
	size_t	need = ARENA_ALIGN + ((size + ARENA_ALIGN - 1) &
	    ~(size_t)(ARENA_ALIGN - 1));
	void	*p;

	if (size > ARENA_SIZE || need > ARENA_SIZE - arena_used)
		return NULL;
	memcpy(arena + arena_used, &size, sizeof(size));
	p = arena + arena_used + ARENA_ALIGN;
	arena_used += need;
	return p;
}

static int
in_arena(const void *p)
{
	return (const unsigned char *)p >= arena &&
	    (const unsigned char *)p < arena + sizeof(arena);
}

static void *
next_symbol(const char *name)
{
	void *sym = dlsym(RTLD_NEXT, name);

	if (sym == NULL) {
		static const char msg[] = "failalloc: a malloc function is "
		    "missing\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		abort();
	}
	return sym;
}

static void
resolve(void)
{
	if (real_free != NULL || resolving)
		return;
	resolving = 1;
	real_malloc = next_symbol("malloc");
	real_calloc = next_symbol("calloc");
	real_realloc = next_symbol("realloc");
	real_posix_memalign = next_symbol("posix_memalign");
	real_aligned_alloc = next_symbol("aligned_alloc");
	real_memalign = next_symbol("memalign");
	real_valloc = next_symbol("valloc");
	real_free = next_symbol("free");
	resolving = 0;
}

__attribute__((constructor)) static void
failalloc_init(void)
{
	resolve();
}

static void
report_fail(unsigned long n)
{
	const char	*path = getenv("FAILALLOC_REPORT");
	void		*stack[STACK_DEPTH];
	char		 line[64];
	int		 fd, len, depth;

	if (path == NULL || (fd = open(path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0644)) < 0)
		return;
	len = snprintf(line, sizeof(line), "fail %lu\n", n);
	if (len > 0)
		(void)!write(fd, line, (size_t)len);
	depth = backtrace(stack, STACK_DEPTH);
	backtrace_symbols_fd(stack, depth, fd);
	close(fd);
}

/*
 * The loaded objects' address ranges, from dl_iterate_phdr(): dladdr()
 * scans symbol tables and would make each counted allocation slow.
 */
static int
add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct object	*o;
	uintptr_t	 lo = UINTPTR_MAX, hi = 0, start;

	if (nobjects == MAX_OBJECTS)
		return 1;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type != PT_LOAD)
			continue;
		start = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
		if (start < lo)
			lo = start;
		if (start + info->dlpi_phdr[i].p_memsz > hi)
			hi = start + info->dlpi_phdr[i].p_memsz;
	}
	o = &objects[nobjects++];
	o->lo = lo;
	o->hi = hi;
	o->path = info->dlpi_name[0] != '\0' ? info->dlpi_name : "(main)";
	return 0;
}

/* The object the code at addr belongs to, or NULL. */
static const struct object *
object_of(const void *addr)
{
	uintptr_t	a = (uintptr_t)addr;
	size_t		i;

	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < nobjects; i++)
			if (a >= objects[i].lo && a < objects[i].hi)
				return &objects[i];
		/* Loaded since (dlopen): look again. */
		nobjects = 0;
		dl_iterate_phdr(add_object, NULL);
	}
	return NULL;
}

/* The path of the object that asked for the allocation (see above). */
static const char *
allocator(const void *caller)
{
	void			*stack[STACK_DEPTH];
	const struct object	*o, *libc, *self;
	int			 depth, i;

	libc = object_of((const void *)real_malloc);
	self = object_of((const void *)allocator);
	if ((o = object_of(caller)) != libc)
		return o != NULL ? o->path : "?";
	depth = backtrace(stack, STACK_DEPTH);
	for (i = 0; i < depth; i++)
		if ((o = object_of(stack[i])) != libc && o != self)
			return o != NULL ? o->path : "?";
	return "?";
}

static int
skipped(const char *path)
{
	const char	*skip = getenv("FAILALLOC_SKIP"), *p;
	size_t		 len;

	for (p = skip; p != NULL && *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len > 0 && memmem(path, strlen(path), p, len) != NULL)
			return 1;
	}
	return 0;
}

static void
trace(unsigned long n, const char *path)
{
	const char	*file = getenv("FAILALLOC_TRACE");
	char		 line[512];
	int		 fd, len;

	if (file == NULL || (fd = open(file, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0644)) < 0)
		return;
	len = snprintf(line, sizeof(line), "%lu %s\n", n, path);
	if (len > 0 && (size_t)len < sizeof(line))
		(void)!write(fd, line, (size_t)len);
	close(fd);
}

/* Counts one allocation; 1 if it is the one that must fail. */
static int
must_fail(const void *caller)
{
	const char	*path;
	unsigned long	 n;
	int		 fail;

	if (!__atomic_load_n(&counting, __ATOMIC_RELAXED) || in_hook)
		return 0;
	in_hook = 1;
	path = allocator(caller);
	if (skipped(path)) {
		in_hook = 0;
		return 0;
	}
	n = __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED);
	trace(n, path);
	if ((fail = n == fail_at))
		report_fail(n);
	in_hook = 0;
	if (fail)
		errno = ENOMEM;
	return fail;
}

void
failalloc_start(void)
{
	const char	*n = getenv("FAILALLOC_N");
	void		*stack[1];

	resolve();
	/* backtrace() loads libgcc_s the first time: not in the middle. */
	in_hook = 1;
	(void)backtrace(stack, 1);
	(void)allocator((const void *)failalloc_start);
	in_hook = 0;
	fail_at = n != NULL ? strtoul(n, NULL, 10) : 0;
	__atomic_store_n(&count, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&counting, 1, __ATOMIC_RELAXED);
}

void
failalloc_stop(void)
{
	const char	*path = getenv("FAILALLOC_REPORT");
	char		 line[64];
	int		 fd, len;

	__atomic_store_n(&counting, 0, __ATOMIC_RELAXED);
	if (path == NULL || (fd = open(path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0644)) < 0)
		return;
	len = snprintf(line, sizeof(line), "count %lu\n",
	    __atomic_load_n(&count, __ATOMIC_RELAXED));
	if (len > 0)
		(void)!write(fd, line, (size_t)len);
	close(fd);
}

void *
malloc(size_t size)
{
	if (real_malloc == NULL) {
		resolve();
		if (real_malloc == NULL)
			return arena_alloc(size);
	}
	return must_fail(__builtin_return_address(0)) ? NULL : real_malloc(size);
}

void *
calloc(size_t nmemb, size_t size)
{
	void *p;

	if (real_calloc == NULL) {
		resolve();
		if (real_calloc == NULL) {
			if (size != 0 && nmemb > SIZE_MAX / size)
				return NULL;
			if ((p = arena_alloc(nmemb * size)) != NULL)
				memset(p, 0, nmemb * size);
			return p;
		}
	}
	return must_fail(__builtin_return_address(0)) ? NULL : real_calloc(nmemb, size);
}

void *
realloc(void *ptr, size_t size)
{
	size_t	 old;
	void	*p;

	resolve();
	if (in_arena(ptr)) {
		memcpy(&old, (unsigned char *)ptr - ARENA_ALIGN, sizeof(old));
		if ((p = malloc(size)) != NULL)
			memcpy(p, ptr, old < size ? old : size);
		return p;
	}
	if (real_realloc == NULL)
		return ptr == NULL ? arena_alloc(size) : NULL;
	/* realloc(p, 0) frees: failing it would only leak. */
	if (size != 0 && must_fail(__builtin_return_address(0)))
		return NULL;
	return real_realloc(ptr, size);
}

void *
reallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, nmemb * size);
}

void
free(void *ptr)
{
	if (ptr == NULL || in_arena(ptr))
		return;
	resolve();
	if (real_free != NULL)
		real_free(ptr);	/* else: freed while resolving; leaked */
}

int
posix_memalign(void **out, size_t align, size_t size)
{
	resolve();
	return must_fail(__builtin_return_address(0)) ? ENOMEM : real_posix_memalign(out, align, size);
}

void *
aligned_alloc(size_t align, size_t size)
{
	resolve();
	return must_fail(__builtin_return_address(0)) ? NULL : real_aligned_alloc(align, size);
}

void *
memalign(size_t align, size_t size)
{
	resolve();
	return must_fail(__builtin_return_address(0)) ? NULL : real_memalign(align, size);
}

void *
valloc(size_t size)
{
	resolve();
	return must_fail(__builtin_return_address(0)) ? NULL : real_valloc(size);
}
