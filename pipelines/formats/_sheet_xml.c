/* A worksheet's cells and what a reader must look at twice, in one pass over its XML.
 *
 * python-calamine reads values fast but not which cells are formulas, cached errors or percentages, so
 * the reader used to unzip and scan each sheet a second time with regular expressions for them. This
 * scanner reads the plain SpreadsheetML that Excel, LibreOffice and openpyxl write (unprefixed tags,
 * the five XML entities and character references) and gives both at once. It declines, returning None,
 * on anything else it meets: a prefixed or unknown element, a comment, CDATA or DTD anywhere in the
 * sheet, a tag inside a value (<v>, <f>, <t>), an `_xHHHH_` escape, a number calamine would read as text,
 * a number in a date format before 1900-03-01 or after 9999-12-31 or in a format calamine may read
 * otherwise (a time of day, a duration), an inline or boolean form it does not know. The caller then
 * reads that workbook with calamine as before, so a decline costs time, never a value. It never reads
 * past the bytes it is given.
 */
#define PY_SSIZE_T_CLEAN
#define _GNU_SOURCE
#include <Python.h>
#include <float.h>
#include <math.h>
#include <string.h>

#define DECLINE (-1)
#define FAILED (-2)

enum { K_NUMBER, K_SHARED, K_INLINE, K_STR, K_BOOL, K_ERROR };
enum { STYLE_PERCENT = 1, STYLE_DATE = 2, STYLE_UNSURE = 4 };

typedef struct {
    int row, col; /* 0-based */
    int kind, style;
    int valued; /* holds something: not <c .../> nor <c ...></c> */
    const char *v; Py_ssize_t vlen; /* the <v> text, raw; v == NULL when absent */
    const char *is; Py_ssize_t islen; /* inside <is>…</is> */
    const char *f; Py_ssize_t flen; /* the formula's raw text; f == NULL when none */
} Cell;

typedef struct {
    Cell *cells;
    Py_ssize_t count, size;
} Cells;

typedef struct {
    char *data;
    Py_ssize_t len, size;
} Text;

static int text_put(Text *text, const char *bytes, Py_ssize_t n) {
    if (n == 0) return 0;
    if (text->len + n > text->size) {
        Py_ssize_t size = (text->len + n) * 2 + 64;
        char *grown = PyMem_Realloc(text->data, size);
        if (grown == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
        text->data = grown;
        text->size = size;
    }
    memcpy(text->data + text->len, bytes, n);
    text->len += n;
    return 0;
}

static int starts(const char *p, const char *end, const char *prefix) {
    size_t n = strlen(prefix);
    return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

/* The first `needle` anywhere in what is left of a document. */
static const char *find(const char *p, const char *end, const char *needle) {
    return p < end ? memmem(p, end - p, needle, strlen(needle)) : NULL;
}

/* Is there a "<!" (a comment, CDATA, a DTD) anywhere in the document? '!' is rare in a sheet's XML, so
 * each one found and the byte before it looked at costs a fraction of memmem's search for "<!". */
static int declaration(const char *p, const char *end) {
    for (const char *bang = p; bang < end && (bang = memchr(bang, '!', end - bang)) != NULL; bang++)
        if (bang > p && bang[-1] == '<') return 1;
    return 0;
}

/* The close `tag` ("</v>") of an element holding text alone: the next '<' from p, when it is that tag. */
static const char *closing(const char *p, const char *end, const char *tag) {
    const char *next = p < end ? memchr(p, '<', end - p) : NULL;
    return next != NULL && starts(next, end, tag) ? next : NULL;
}

/* The first `tag` ("</is>", "<si") from p on, where it is a few bytes away: the next '<' found, then the
 * rest compared (memmem's set-up costs more than such a search, and was a fifth of a scan's time). */
static const char *find_tag(const char *p, const char *end, const char *tag) {
    size_t n = strlen(tag);
    while (p < end && (p = memchr(p, '<', end - p)) != NULL) {
        if ((size_t)(end - p) < n) return NULL;
        if (memcmp(p, tag, n) == 0) return p;
        p++;
    }
    return NULL;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* After a tag's name: is the name whole ("<c " or "<c>" or "<c/>", not "<col")? */
static int name_ends(const char *p, const char *end) {
    return p < end && (is_space(*p) || *p == '>' || *p == '/');
}

static int equals(const char *p, Py_ssize_t n, const char *word) {
    return (size_t)n == strlen(word) && memcmp(p, word, n) == 0;
}

typedef struct {
    const char *r, *t, *s;
    Py_ssize_t rlen, tlen, slen;
    int closed; /* <…/> */
    int preserve; /* xml:space="preserve" */
    const char *after; /* past the tag's '>' */
} Attributes;

/* The attributes of a tag from just after its name to its '>': DECLINE when malformed. */
static int attributes(const char *p, const char *end, Attributes *out) {
    memset(out, 0, sizeof(*out));
    for (;;) {
        while (p < end && is_space(*p)) p++;
        if (p >= end) return DECLINE;
        if (*p == '>') {
            out->after = p + 1;
            return 0;
        }
        if (*p == '/') {
            if (p + 1 >= end || p[1] != '>') return DECLINE;
            out->closed = 1;
            out->after = p + 2;
            return 0;
        }
        const char *name = p;
        while (p < end && !is_space(*p) && *p != '=' && *p != '>' && *p != '/') p++;
        Py_ssize_t name_len = p - name;
        while (p < end && is_space(*p)) p++;
        if (p >= end || *p != '=' || name_len == 0) return DECLINE;
        p++;
        while (p < end && is_space(*p)) p++;
        if (p >= end || (*p != '"' && *p != '\'')) return DECLINE;
        char quote = *p++;
        const char *value = p;
        p = memchr(p, quote, end - p);
        if (p == NULL) return DECLINE;
        Py_ssize_t value_len = p - value;
        p++;
        if (name_len == 1 && *name == 'r') out->r = value, out->rlen = value_len;
        else if (name_len == 1 && *name == 't') out->t = value, out->tlen = value_len;
        else if (name_len == 1 && *name == 's') out->s = value, out->slen = value_len;
        else if (equals(name, name_len, "xml:space")) out->preserve = equals(value, value_len, "preserve");
    }
}

/* "AB12" → row 11, column 27 (0-based); DECLINE beyond XFD1048576 or malformed. */
static int reference(const char *p, Py_ssize_t n, int *row, int *col) {
    Py_ssize_t i = 0;
    long column = 0, number = 0;
    while (i < n && p[i] >= 'A' && p[i] <= 'Z' && i < 3) column = column * 26 + (p[i++] - 'A' + 1);
    if (i == 0 || i == n || p[i] < '1' || p[i] > '9' || n - i > 7) return DECLINE;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return DECLINE;
        number = number * 10 + (p[i] - '0');
    }
    if (column > 16384 || number > 1048576) return DECLINE;
    *row = (int)number - 1;
    *col = (int)column - 1;
    return 0;
}

static int style_of(const char *p, Py_ssize_t n) {
    if (p == NULL) return 0;
    if (n == 0 || n > 6) return -1;
    int style = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        style = style * 10 + (p[i] - '0');
    }
    return style;
}

static int hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int put_code_point(Text *text, unsigned long code) {
    char bytes[4];
    Py_ssize_t n;
    if (code < 0x80) bytes[0] = (char)code, n = 1;
    else if (code < 0x800) bytes[0] = (char)(0xC0 | (code >> 6)), bytes[1] = (char)(0x80 | (code & 0x3F)), n = 2;
    else if (code < 0x10000) {
        bytes[0] = (char)(0xE0 | (code >> 12));
        bytes[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        bytes[2] = (char)(0x80 | (code & 0x3F));
        n = 3;
    } else {
        bytes[0] = (char)(0xF0 | (code >> 18));
        bytes[1] = (char)(0x80 | ((code >> 12) & 0x3F));
        bytes[2] = (char)(0x80 | ((code >> 6) & 0x3F));
        bytes[3] = (char)(0x80 | (code & 0x3F));
        n = 4;
    }
    return text_put(text, bytes, n);
}

/* An _xHHHH_ escape in decoded text (calamine resolves it, references and all). */
static int escaped(const char *p, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i + 7 <= n; i++)
        if (p[i] == '_' && p[i + 1] == 'x' && hex_digit(p[i + 2]) && hex_digit(p[i + 3]) && hex_digit(p[i + 4]) &&
            hex_digit(p[i + 5]) && p[i + 6] == '_')
            return 1;
    return 0;
}

/* Character data with its references resolved and its line ends made \n (XML's rule, which calamine
 * follows), appended to `text`: DECLINE on a tag or an unknown or disallowed reference. */
static int decode_references(const char *p, Py_ssize_t n, Text *text) {
    const char *end = p + n;
    while (p < end) {
        const char *stop = p;
        while (stop < end && *stop != '&' && *stop != '<' && *stop != '\r') stop++;
        if (text_put(text, p, stop - p) < 0) return FAILED;
        if (stop == end) return 0;
        p = stop;
        if (*p == '<') return DECLINE;
        if (*p == '\r') {
            if (text_put(text, "\n", 1) < 0) return FAILED;
            p += p + 1 < end && p[1] == '\n' ? 2 : 1;
            continue;
        }
        const char *semicolon = memchr(p, ';', end - p);
        if (semicolon == NULL || semicolon - p > 12) return DECLINE;
        const char *name = p + 1;
        Py_ssize_t len = semicolon - name;
        const char *plain = NULL;
        if (equals(name, len, "amp")) plain = "&";
        else if (equals(name, len, "lt")) plain = "<";
        else if (equals(name, len, "gt")) plain = ">";
        else if (equals(name, len, "quot")) plain = "\"";
        else if (equals(name, len, "apos")) plain = "'";
        if (plain != NULL) {
            if (text_put(text, plain, 1) < 0) return FAILED;
        } else {
            if (len < 2 || name[0] != '#') return DECLINE;
            int hex = name[1] == 'x';
            const char *digit = name + 1 + hex;
            if (digit == semicolon) return DECLINE;
            unsigned long code = 0;
            for (; digit < semicolon; digit++) {
                int value;
                if (*digit >= '0' && *digit <= '9') value = *digit - '0';
                else if (hex && *digit >= 'a' && *digit <= 'f') value = *digit - 'a' + 10;
                else if (hex && *digit >= 'A' && *digit <= 'F') value = *digit - 'A' + 10;
                else return DECLINE;
                code = code * (hex ? 16 : 10) + value;
                if (code > 0x10FFFF) return DECLINE;
            }
            if ((code < 0x20 && code != '\t' && code != '\n' && code != '\r') ||
                (code >= 0xD800 && code <= 0xDFFF) || code == 0xFFFE || code == 0xFFFF)
                return DECLINE;
            if (put_code_point(text, code) < 0) return FAILED;
        }
        p = semicolon + 1;
    }
    return 0;
}

/* decode_references, and DECLINE on an _xHHHH_ escape once the references are resolved. */
static int decode(const char *p, Py_ssize_t n, Text *text) {
    Py_ssize_t start = text->len;
    int status = decode_references(p, n, text);
    if (status == 0 && text->len > start && escaped(text->data + start, text->len - start)) return DECLINE;
    return status;
}

/* The text of <t> elements between p and end (an <si> or an <is>), runs joined, phonetic runs (<rPh>)
 * left out, and each <t> without xml:space="preserve" trimmed of XML's white space once its references
 * are resolved: as calamine reads them ("<t>Tỷ lệ </t>" then "<t>đạt</t>" is "Tỷ lệđạt"). */
static int runs(const char *p, const char *end, Text *text) {
    while ((p = memchr(p, '<', end - p)) != NULL) {
        if (starts(p, end, "<t") && name_ends(p + 2, end)) {
            Attributes attrs;
            if (attributes(p + 2, end, &attrs) < 0) return DECLINE;
            p = attrs.after;
            if (attrs.closed) continue;
            const char *close = closing(p, end, "</t>");
            if (close == NULL) return DECLINE;
            Py_ssize_t start = text->len;
            int status = decode(p, close - p, text);
            if (status < 0) return status;
            if (!attrs.preserve) {
                Py_ssize_t first = start;
                while (first < text->len && is_space(text->data[first])) first++;
                while (text->len > first && is_space(text->data[text->len - 1])) text->len--;
                memmove(text->data + start, text->data + first, text->len - first);
                text->len -= first - start;
            }
            p = close + 4;
        } else if (starts(p, end, "<rPh") && name_ends(p + 4, end)) {
            Attributes attrs;
            if (attributes(p + 4, end, &attrs) < 0) return DECLINE;
            if (attrs.closed) {
                p = attrs.after;
                continue;
            }
            const char *close = find_tag(attrs.after, end, "</rPh>");
            if (close == NULL) return DECLINE;
            p = close + 6;
        } else if (starts(p, end, "<!") || starts(p, end, "<?")) {
            return DECLINE;
        } else {
            const char *close = memchr(p, '>', end - p); /* <r>, <rPr>, <b/>, <sz val="11"/>, </r> … */
            if (close == NULL) return DECLINE;
            p = close + 1;
        }
    }
    return 0;
}

static PyObject *unicode_of(Text *text) {
    PyObject *value = PyUnicode_DecodeUTF8(text->data ? text->data : "", text->len, "strict");
    if (value == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) PyErr_Clear();
    return value;
}

static PyObject *declined(int status) {
    if (status == FAILED || PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

/* shared_strings(xml) → the shared strings table as calamine reads it, or None. */
static PyObject *shared_strings(PyObject *self, PyObject *args) {
    Py_buffer xml;
    if (!PyArg_ParseTuple(args, "y*", &xml)) return NULL;
    const char *p = xml.buf, *end = p + xml.len;
    PyObject *strings = PyList_New(0);
    Text text = {0};
    int status = 0;
    if (strings == NULL) goto done;
    if (declaration(p, end) || find(p, end, ":si>") || find(p, end, ":t>")) {
        status = DECLINE;
        goto done;
    }
    while ((p = find_tag(p, end, "<si")) != NULL) {
        if (!name_ends(p + 3, end)) {
            p += 3;
            continue;
        }
        Attributes attrs;
        if ((status = attributes(p + 3, end, &attrs)) < 0) goto done;
        const char *inside = attrs.after, *close = inside;
        if (!attrs.closed && (close = find_tag(inside, end, "</si>")) == NULL) {
            status = DECLINE;
            goto done;
        }
        text.len = 0;
        if ((status = runs(inside, close, &text)) < 0) goto done;
        PyObject *value = unicode_of(&text);
        if (value == NULL) {
            status = DECLINE;
            goto done;
        }
        int appended = PyList_Append(strings, value);
        Py_DECREF(value);
        if (appended < 0) {
            status = FAILED;
            goto done;
        }
        p = attrs.closed ? inside : close + 5;
    }
done:
    PyMem_Free(text.data);
    PyBuffer_Release(&xml);
    if (status < 0 || strings == NULL) {
        Py_XDECREF(strings);
        return declined(status);
    }
    return strings;
}

static int cells_add(Cells *cells, const Cell *cell) {
    if (cells->count == cells->size) {
        Py_ssize_t size = cells->size * 2 + 256;
        Cell *grown = PyMem_Realloc(cells->cells, size * sizeof(Cell));
        if (grown == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
        cells->cells = grown;
        cells->size = size;
    }
    cells->cells[cells->count++] = *cell;
    return 0;
}

/* One <c …>…</c> from just after "<c": its record, and where the scan goes on. */
static int cell(const char *p, const char *end, Cell *out, const char **next) {
    Attributes attrs;
    if (attributes(p, end, &attrs) < 0 || attrs.r == NULL) return DECLINE;
    memset(out, 0, sizeof(*out));
    if (reference(attrs.r, attrs.rlen, &out->row, &out->col) < 0) return DECLINE;
    if ((out->style = style_of(attrs.s, attrs.slen)) < 0) return DECLINE;
    if (attrs.t == NULL || equals(attrs.t, attrs.tlen, "n")) out->kind = K_NUMBER;
    else if (equals(attrs.t, attrs.tlen, "s")) out->kind = K_SHARED;
    else if (equals(attrs.t, attrs.tlen, "inlineStr")) out->kind = K_INLINE;
    else if (equals(attrs.t, attrs.tlen, "str")) out->kind = K_STR;
    else if (equals(attrs.t, attrs.tlen, "b")) out->kind = K_BOOL;
    else if (equals(attrs.t, attrs.tlen, "e")) out->kind = K_ERROR;
    else return DECLINE; /* "d": an ISO date as text */
    p = attrs.after;
    if (attrs.closed) {
        *next = p;
        return 0;
    }
    for (;;) {
        while (p < end && is_space(*p)) p++;
        if (p >= end || *p != '<') return DECLINE;
        if (starts(p, end, "</c>")) {
            *next = p + 4;
            return 0;
        }
        out->valued = 1;
        if (starts(p, end, "<v") && name_ends(p + 2, end)) {
            Attributes v;
            if (attributes(p + 2, end, &v) < 0) return DECLINE;
            out->v = v.after;
            out->vlen = 0;
            p = v.after;
            if (v.closed) continue;
            const char *close = closing(p, end, "</v>");
            if (close == NULL) return DECLINE;
            out->vlen = close - p;
            p = close + 4;
        } else if (starts(p, end, "<f") && name_ends(p + 2, end)) {
            Attributes f;
            if (attributes(p + 2, end, &f) < 0) return DECLINE;
            out->f = f.after;
            out->flen = 0;
            p = f.after;
            if (f.closed) continue;
            const char *close = closing(p, end, "</f>");
            if (close == NULL) return DECLINE;
            out->flen = close - p;
            p = close + 4;
        } else if (starts(p, end, "<is>")) {
            const char *close = find_tag(p, end, "</is>");
            if (close == NULL) return DECLINE;
            out->is = p + 4;
            out->islen = close - out->is;
            p = close + 5;
        } else {
            return DECLINE;
        }
    }
}

typedef struct {
    PyObject *shared, *shared_cells, *convert, *empty;
    const unsigned char *styles;
    Py_ssize_t styles_len;
} Context;

static int style_has(const Context *context, int style, int flag) {
    return style < context->styles_len && (context->styles[style] & flag);
}

/* A cell's record is within calamine's grid when calamine keeps its value, even an empty one: an inline
 * or formula string (<v/> too), or any other with text in its <v>; a number or formula without one is
 * not (calamine's width leaves it out). */
static int ranged(const Cell *c) {
    if (c->kind == K_INLINE) return c->is != NULL;
    if (c->kind == K_STR) return c->v != NULL;
    return c->v != NULL && c->vlen > 0;
}

/* What a pass over <sheetData> tells: the positions with a percent format, and of the cells holding
 * something how many, over how many rows, up to which row and column; up to which column calamine's grid
 * reaches; whether more were found than kept. */
typedef struct {
    PyObject *percent;
    long used_rows, valued, last_row, last_column, grid_width;
    int truncated;
} Facts;

static PyObject *position(int row, int col) { return Py_BuildValue("(ii)", row, col); }

/* The cells of <sheetData> holding something, in order of rows, the first `keep` of them kept (a sheet
 * with more is declined, or refused by its facts); its facts. */
static int sheet_cells(const char *p, const char *end, const Context *context, Py_ssize_t keep, Cells *cells,
                       Facts *facts) {
    if (declaration(p, end)) return DECLINE; /* a comment, CDATA or a DTD: XML this pass does not read */
    const char *data = find(p, end, "<sheetData");
    if (data == NULL) return find(p, end, "sheetData") ? DECLINE : 0;
    Attributes attrs;
    if (attributes(data + 10, end, &attrs) < 0) return DECLINE;
    if (attrs.closed) return 0;
    p = attrs.after;
    int last_row = -1;
    for (;;) {
        while (p < end && is_space(*p)) p++;
        if (p >= end || *p != '<') return DECLINE;
        if (starts(p, end, "</sheetData>")) return 0;
        if (starts(p, end, "</row>")) {
            p += 6;
        } else if (starts(p, end, "<row") && name_ends(p + 4, end)) {
            Attributes row;
            if (attributes(p + 4, end, &row) < 0) return DECLINE;
            p = row.after;
        } else if (starts(p, end, "<c") && name_ends(p + 2, end)) {
            Cell record;
            int status = cell(p + 2, end, &record, &p);
            if (status < 0) return status;
            if (record.row < last_row) return DECLINE; /* rows out of order */
            last_row = record.row;
            if (style_has(context, record.style, STYLE_PERCENT)) {
                PyObject *at = position(record.row, record.col);
                status = at == NULL || PyList_Append(facts->percent, at) < 0 ? FAILED : 0;
                Py_XDECREF(at);
                if (status < 0) return status;
            }
            if (ranged(&record) && record.col + 1 > facts->grid_width) facts->grid_width = record.col + 1;
            if (!record.valued) continue;
            facts->valued++;
            if (record.row + 1 != facts->last_row) facts->used_rows++;
            facts->last_row = record.row + 1;
            if (record.col + 1 > facts->last_column) facts->last_column = record.col + 1;
            if (cells->count >= keep) facts->truncated = 1;
            else if ((status = cells_add(cells, &record)) < 0) return status;
        } else {
            return DECLINE;
        }
    }
}

/* A plain decimal ("1926", "-53.2", "0.975") of at most 15 digits, as the nearest double: its digits as a
 * whole number (exact below 2^53) divided by a power of ten (exact up to 10^22) is one correctly rounded
 * division, the same double any correct reader gives (Clinger's fast path, which strtod itself takes). */
static int plain_decimal(const char *p, Py_ssize_t n, double *out) {
    static const double powers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    Py_ssize_t i = p[0] == '-', digits = 0, fraction = -1;
    long long whole = 0;
    for (; i < n; i++) {
        if (p[i] == '.' && fraction < 0 && digits > 0) fraction = 0;
        else if (p[i] >= '0' && p[i] <= '9' && digits < 15) {
            whole = whole * 10 + (p[i] - '0');
            digits++;
            if (fraction >= 0) fraction++;
        } else return DECLINE;
    }
    if (digits == 0 || fraction == 0) return DECLINE;
    double value = (double)whole / powers[fraction < 0 ? 0 : fraction];
    *out = p[0] == '-' ? -value : value;
    return 0;
}

/* A <v> number exactly as calamine takes it for one (anything else it reads as text: declined). */
static int number(const char *p, Py_ssize_t n, double *out) {
    char digits[64];
    if (n == 0 || n >= (Py_ssize_t)sizeof(digits)) return DECLINE;
    /* doubles computed as doubles, not in wider registers and rounded twice */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    if (plain_decimal(p, n, out) == 0) return 0;
#endif
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return DECLINE;
    }
    memcpy(digits, p, n);
    digits[n] = '\0';
    char *stop;
    double value = PyOS_string_to_double(digits, &stop, NULL);
    if (value == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return DECLINE;
    }
    if (stop != digits + n || !Py_IS_FINITE(value)) return DECLINE;
    *out = value;
    return 0;
}

/* A serial from 61 (1900-03-01) to before 2958466 (10000-01-01) in a date format, as calamine shows it:
 * a whole day as a date ("2024-03-15"), any other as a date and time to the millisecond
 * ("2024-03-15T10:30:00", "2024-03-15T23:59:59.914000"); NULL (declined) outside that range. */
static PyObject *iso_date(double serial) {
    if (!(serial >= 61 && serial < 2958466)) return NULL;
    long long ms = llround(serial * 86400000.0);
    long serial_day = (long)(ms / 86400000), in_day = (long)(ms % 86400000);
    if (serial_day >= 2958466) return NULL;
    /* days since 1970-01-01, then the civil date (H. Hinnant's civil_from_days) */
    long z = serial_day - 25569 + 719468;
    long era = z / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2);
    char iso[40];
    if (serial == floor(serial)) {
        snprintf(iso, sizeof(iso), "%04ld-%02ld-%02ld", year, month, day);
    } else {
        int n = snprintf(iso, sizeof(iso), "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld", year, month, day,
                         in_day / 3600000, in_day / 60000 % 60, in_day / 1000 % 60);
        if (in_day % 1000) snprintf(iso + n, sizeof(iso) - n, ".%03ld000", in_day % 1000);
    }
    return PyUnicode_FromString(iso);
}

static const char PY_SPACE[] = " \t\n\v\f\r\x1c\x1d\x1e\x1f";

/* Decoded text as the reader keeps a cell: ASCII stripped here, anything else through `convert`. */
static PyObject *text_cell(Text *text, PyObject *convert) {
    int ascii = 1;
    for (Py_ssize_t i = 0; i < text->len; i++)
        if ((unsigned char)text->data[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (!ascii) {
        PyObject *raw = unicode_of(text);
        if (raw == NULL) return NULL;
        PyObject *kept = PyObject_CallOneArg(convert, raw);
        Py_DECREF(raw);
        return kept;
    }
    const char *start = text->data ? text->data : "", *stop = start + text->len;
    while (start < stop && memchr(PY_SPACE, *start, sizeof(PY_SPACE) - 1)) start++;
    while (stop > start && memchr(PY_SPACE, stop[-1], sizeof(PY_SPACE) - 1)) stop--;
    return PyUnicode_DecodeASCII(start, stop - start, "strict");
}

/* The value a cell is kept as, with *raw_empty telling whether calamine read nothing there (a row of
 * nothing is dropped); NULL with no error set: declined. */
static PyObject *value_of(const Cell *c, const Context *context, Text *text, int *raw_empty) {
    *raw_empty = 0;
    text->len = 0;
    switch (c->kind) {
    case K_NUMBER: {
        if (c->v == NULL || c->vlen == 0) break;
        double value;
        if (number(c->v, c->vlen, &value) < 0) return NULL;
        int flags = c->style < context->styles_len ? context->styles[c->style] : STYLE_UNSURE;
        if (flags & STYLE_UNSURE) return NULL; /* a format calamine may read as a date, time or duration */
        if (flags & STYLE_DATE) return iso_date(value);
        return PyFloat_FromDouble(value);
    }
    case K_SHARED: {
        if (c->v == NULL || c->vlen == 0) break;
        Py_ssize_t index = 0;
        for (Py_ssize_t i = 0; i < c->vlen; i++) {
            if (c->v[i] < '0' || c->v[i] > '9' || index > PyList_GET_SIZE(context->shared)) return NULL;
            index = index * 10 + (c->v[i] - '0');
        }
        if (index >= PyList_GET_SIZE(context->shared)) return NULL;
        PyObject *raw = PyList_GET_ITEM(context->shared, index);
        if (!PyUnicode_Check(raw)) return NULL;
        *raw_empty = PyUnicode_GET_LENGTH(raw) == 0;
        PyObject *kept = PyList_GET_ITEM(context->shared_cells, index);
        Py_INCREF(kept);
        return kept;
    }
    case K_INLINE:
        if (c->is == NULL) return NULL;
        if (runs(c->is, c->is + c->islen, text) < 0) return NULL;
        *raw_empty = text->len == 0;
        return text_cell(text, context->convert);
    case K_STR:
        if (c->v == NULL) break;
        if (decode(c->v, c->vlen, text) < 0) return NULL;
        *raw_empty = text->len == 0;
        return text_cell(text, context->convert);
    case K_BOOL:
        if (c->v == NULL || c->vlen == 0) break;
        if (equals(c->v, c->vlen, "1")) return PyUnicode_FromString("TRUE");
        if (equals(c->v, c->vlen, "0")) return PyUnicode_FromString("FALSE");
        return NULL;
    case K_ERROR: /* calamine reads a cached error as blank; the errors say which */
        break;
    }
    *raw_empty = 1;
    Py_INCREF(context->empty);
    return context->empty;
}

static int set_at(PyObject *mapping, int row, int col, const char *p, Py_ssize_t n) {
    PyObject *key = position(row, col);
    PyObject *value = key ? PyUnicode_DecodeUTF8(p, n, "replace") : NULL;
    int status = value ? PyDict_SetItem(mapping, key, value) : -1;
    Py_XDECREF(key);
    Py_XDECREF(value);
    return status < 0 ? FAILED : 0;
}

/* The rows of the kept cells, each a list from column A to the `width` of calamine's grid; a row of
 * nothing but blanks is left out, as calamine's reader leaves it out. */
static int build_rows(const Cells *cells, int width, const Context *context, PyObject *rows) {
    Text text = {0};
    int status = 0;
    for (Py_ssize_t i = 0, next; i < cells->count && status == 0; i = next) {
        int row = cells->cells[i].row, kept = 0;
        for (next = i; next < cells->count && cells->cells[next].row == row; next++)
            ;
        PyObject *list = PyList_New(width);
        if (list == NULL) {
            status = FAILED;
            break;
        }
        for (int column = 0; column < width; column++) PyList_SET_ITEM(list, column, Py_NewRef(context->empty));
        for (Py_ssize_t j = i; j < next; j++) {
            const Cell *c = &cells->cells[j];
            int raw_empty;
            PyObject *value = value_of(c, context, &text, &raw_empty);
            if (value == NULL) {
                status = PyErr_Occurred() ? FAILED : DECLINE;
                break;
            }
            if (c->col >= width) { /* a formula's cell without a value, right of the grid: blank */
                Py_DECREF(value);
                continue;
            }
            kept |= !raw_empty;
            PyObject *old = PyList_GET_ITEM(list, c->col);
            PyList_SET_ITEM(list, c->col, value);
            Py_DECREF(old);
        }
        if (status == 0 && kept) {
            PyObject *key = PyLong_FromLong(row);
            if (key == NULL || PyDict_SetItem(rows, key, list) < 0) status = FAILED;
            Py_XDECREF(key);
        }
        Py_DECREF(list);
    }
    PyMem_Free(text.data);
    return status;
}

/* scan(xml, shared, shared_cells, styles, convert, empty, max_rows, max_columns, max_cells, max_grid) →
 * (rows or None past a limit, formulas, errors, percent, used_rows, cells, last_row, last_column), or
 * None where calamine must read the workbook. `styles` holds a flag byte per cell format (1 percent,
 * 2 a date, 4 a format whose numbers calamine may not read as plain numbers or dates: declined);
 * `shared_cells` the shared strings as the reader keeps them; `convert` makes non-ASCII text such a cell;
 * `empty` is the blank cell. A sheet within the limits but whose grid (A1 to its last cell holding
 * something) exceeds `max_grid` cells is declined: the reader of such a sheet, cell by cell or dense,
 * stays calamine's and the XML reader's, and this pass keeps no more cells than that. */
static PyObject *scan(PyObject *self, PyObject *args) {
    Py_buffer xml, styles;
    Context context;
    long max_rows, max_columns, max_cells, max_grid;
    if (!PyArg_ParseTuple(args, "y*O!O!y*OUllll", &xml, &PyList_Type, &context.shared, &PyList_Type,
                          &context.shared_cells, &styles, &context.convert, &context.empty, &max_rows,
                          &max_columns, &max_cells, &max_grid))
        return NULL;
    context.styles = styles.buf;
    context.styles_len = styles.len;
    Cells cells = {0};
    Facts facts = {PyList_New(0), 0, 0, 0, 0, 0, 0};
    PyObject *rows = NULL, *formulas = PyDict_New(), *errors = PyDict_New(), *result = NULL;
    int status = PyList_GET_SIZE(context.shared) == PyList_GET_SIZE(context.shared_cells) ? 0 : DECLINE;
    if (formulas == NULL || errors == NULL || facts.percent == NULL) status = FAILED;
    if (status == 0)
        status = sheet_cells(xml.buf, (const char *)xml.buf + xml.len, &context, max_grid + 1, &cells, &facts);
    if (status == 0 && (facts.used_rows > max_rows || facts.last_column > max_columns || facts.valued > max_cells)) {
        rows = Py_NewRef(Py_None); /* refused by its facts */
    } else if (status == 0) {
        if (facts.truncated || (long long)facts.last_row * facts.last_column > max_grid) status = DECLINE;
        for (Py_ssize_t i = 0; status == 0 && i < cells.count; i++) {
            const Cell *c = &cells.cells[i];
            if (c->f != NULL) status = set_at(formulas, c->row, c->col, c->f, c->flen);
            if (c->kind == K_ERROR && c->v != NULL && status == 0)
                status = set_at(errors, c->row, c->col, c->v, c->vlen);
        }
        if (status == 0 && (rows = PyDict_New()) == NULL) status = FAILED;
        if (status == 0) status = build_rows(&cells, (int)facts.grid_width, &context, rows);
    }
    if (status == 0)
        result = Py_BuildValue("(OOOOllll)", rows, formulas, errors, facts.percent, facts.used_rows, facts.valued,
                               facts.last_row, facts.last_column);
    PyMem_Free(cells.cells);
    PyBuffer_Release(&xml);
    PyBuffer_Release(&styles);
    Py_XDECREF(rows);
    Py_XDECREF(formulas);
    Py_XDECREF(errors);
    Py_XDECREF(facts.percent);
    return status == 0 ? result : declined(status);
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, "A worksheet's cells, formulas, errors and percentages; None: declined."},
    {"shared_strings", shared_strings, METH_VARARGS, "The shared strings table; None: declined."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_sheet_xml", NULL, -1, methods};

PyMODINIT_FUNC PyInit__sheet_xml(void) { return PyModule_Create(&module); }
