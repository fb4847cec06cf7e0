/*
 * args.c: the module line.  Only conf=PATH and debug are accepted; an
 * unknown word is a configuration error, never silently ignored, since
 * an administrator who misspells an option would otherwise get a
 * different policy from the one they wrote.
 */
#include "config.h"

#include <string.h>

#include "module.h"

int
module_args_parse(int argc, const char **argv, struct module_args *args,
    struct seckey_diag *diag)
{
	int i;

	args->conf = NULL;
	args->debug = false;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "conf=", 5) == 0 && argv[i][5] == '/') {
			args->conf = argv[i] + 5;
		} else if (strncmp(argv[i], "conf=", 5) == 0) {
			seckey_diag_set(diag, NULL, 0, "module argument "
			    "\"%.64s\": conf= needs an absolute path", argv[i]);
			return SECKEY_ERR_INVAL;
		} else if (strcmp(argv[i], "debug") == 0) {
			args->debug = true;
		} else {
			seckey_diag_set(diag, NULL, 0, "unknown module "
			    "argument \"%.64s\"", argv[i]);
			return SECKEY_ERR_INVAL;
		}
	}
	return SECKEY_OK;
}
