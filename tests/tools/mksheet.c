/*
 * mksheet.c - makes an .xlsx sign-in sheet (签到表) with libxlsxwriter, as
 * a district office's Excel would, for the tests of `event import`:
 *
 *     mksheet OUT.xlsx < SPEC
 *
 * SPEC's first line is the title, written across the columns of the next
 * line in one merged cell (row 1), or "-" for none; every later line is a row of cells
 * separated by tabs, each "s:TEXT" (a text cell), "n:NUMBER" (a number
 * cell: an ID number typed into a column not formatted as text), "d:YYYY-MM-DD"
 * (a date cell shown as yyyy-mm-dd) or empty.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mksheet OUT.xlsx < SPEC\n");
		return 2;
	}
	lxw_workbook *wb = workbook_new(argv[1]);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "签到表");
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_align(title, LXW_ALIGN_CENTER);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	char line[4096], head[4096] = "";
	if (fgets(head, sizeof head, stdin) == NULL)
		return 2;
	head[strcspn(head, "\r\n")] = '\0';
	bool titled = strcmp(head, "-") != 0;
	int row = titled ? 1 : 0, cols = 1;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		int col = 0;
		for (char *cell = line, *next; cell; cell = next, col++) {
			next = strchr(cell, '\t');
			if (next)
				*next++ = '\0';
			if (strncmp(cell, "s:", 2) == 0)
				worksheet_write_string(ws, row, col, cell + 2, NULL);
			else if (strncmp(cell, "n:", 2) == 0)
				worksheet_write_number(ws, row, col, strtod(cell + 2, NULL), NULL);
			else if (strncmp(cell, "d:", 2) == 0) {
				lxw_datetime dt = {0};
				sscanf(cell + 2, "%d-%d-%d", &dt.year, &dt.month, &dt.day);
				worksheet_write_datetime(ws, row, col, &dt, date);
			}
		}
		if (col > cols)
			cols = col;
		row++;
	}
	if (titled)
		worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(cols - 1), head, title);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
