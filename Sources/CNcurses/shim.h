// The ncursesw surface dpotop's Terminal module uses, made importable from
// Swift 6: the wide-character API needs these defines before curses.h, and
// ncurses' globals (stdscr, COLORS, ...) and macros (A_BOLD, COLOR_PAIR, ...)
// do not import in Swift 6 language mode, so each is re-exported here as a
// static inline function or a constant.
#ifndef DPOTOP_CNCURSES_SHIM_H
#define DPOTOP_CNCURSES_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Globals (read through functions: Swift 6 rejects the mutable globals).
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }

// Attributes (macros that do not import).
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }

// Column width of a wide character in the current locale (-1: unprintable).
extern int wcwidth(wchar_t c);
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }

// Colour pairs and the alternate character set (line drawing) as chtypes.
static inline chtype cn_color_pair(int n) { return COLOR_PAIR(n); }
static inline chtype cn_acs(unsigned char letter) { return NCURSES_ACS(letter); }

// Return codes and key codes.
static const int CN_ERR = ERR;
static const int CN_OK = OK;
static const int CN_KEY_CODE_YES = KEY_CODE_YES;
static const int CN_KEY_UP = KEY_UP;
static const int CN_KEY_DOWN = KEY_DOWN;
static const int CN_KEY_LEFT = KEY_LEFT;
static const int CN_KEY_RIGHT = KEY_RIGHT;
static const int CN_KEY_PPAGE = KEY_PPAGE;
static const int CN_KEY_NPAGE = KEY_NPAGE;
static const int CN_KEY_HOME = KEY_HOME;
static const int CN_KEY_END = KEY_END;
static const int CN_KEY_F0 = KEY_F0;
static const int CN_KEY_BTAB = KEY_BTAB;
static const int CN_KEY_ENTER = KEY_ENTER;
static const int CN_KEY_BACKSPACE = KEY_BACKSPACE;
static const int CN_KEY_DC = KEY_DC;
static const int CN_KEY_RESIZE = KEY_RESIZE;

// The maximum number of characters in one cchar_t (base + combining marks).
static const int CN_CCHARW_MAX = CCHARW_MAX;

/// Fills *c with up to CCHARW_MAX-1 wide characters (nul-terminated run in wch).
static inline int cn_setcchar(cchar_t *c, const wchar_t *wch, attr_t attrs, int pair) {
  return setcchar(c, wch, attrs, (short)(pair > 32767 ? 0 : pair), NULL);
}

#endif
