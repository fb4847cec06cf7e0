/*
 * table.c: the cells of the tables seckey prints (list, key-credentials):
 * text from a key list or from a key, escaped for the terminal, padded
 * by characters rather than bytes so that UTF-8 names line up.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "helper.h"
#include "seckey_text.h"

const char *
helper_cell_text(const char *s, char *buf)
{
	return seckey_text_safe(s != NULL ? s : "-", buf, HELPER_CELL_MAX,
	    SECKEY_TEXT_LOG);
}

size_t
helper_cell_width(const char *s)
{
	char buf[HELPER_CELL_MAX];
	size_t count = 0;

	if (!seckey_text_printable(helper_cell_text(s, buf), &count))
		return strlen(buf);
	return count;
}

void
helper_cell(const char *s, size_t width)
{
	char buf[HELPER_CELL_MAX];
	size_t have = helper_cell_width(s);

	fputs(helper_cell_text(s, buf), stdout);
	printf("%*s", (int)(width > have ? width - have : 0) + 2, "");
}
