// The byte values the line readers compare against (ASCII), named once for every parser in src/parse.

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const ESC = 27;
export const SPACE = 32;
export const STAR = 42;
export const MINUS = 45;
export const DOT = 46;
export const SLASH = 47;
export const ZERO = 48;
export const NINE = 57;
export const COLON = 58;
export const GT = 62;
export const LBRACKET = 91;
export const RBRACKET = 93;
