/*
 * dlcheck: load a module the way libpam does and check its symbols.
 *
 *   dlcheck MODULE +SYMBOL... -SYMBOL...
 *
 * The module must load with RTLD_NOW (no undefined symbol), every +SYMBOL
 * must resolve and no -SYMBOL may.  Exit 0 when all hold, 1 otherwise.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	void *handle;
	int i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: dlcheck MODULE [+|-]SYMBOL...\n");
		return 2;
	}
	if ((handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL)) == NULL) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	for (i = 2; i < argc; i++) {
		int want = argv[i][0] == '+';
		int found = dlsym(handle, argv[i] + 1) != NULL;

		printf("%s %s\n", argv[i] + 1, found ? "exported" : "hidden");
		if (want != found)
			status = 1;
	}
	dlclose(handle);
	return status;
}
