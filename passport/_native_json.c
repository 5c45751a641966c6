/* The two cheap passes around CPython's own JSON parser that make passport.encoding.jsonio's
 * strict parse cost about one json.loads (registered in _native.c's method table).
 *
 * json_scan(data) reads UTF-8 JSON bytes once, skipping strings (a backslash escapes the next
 * byte; an unterminated string runs to the end, as jsonio's Python depth check reads it):
 *   -1  the brackets nest deeper than MAX_DEPTH (jsonio raises NESTING_TOO_DEEP; the parser
 *       never sees the input);
 *   n   otherwise: the number of ':' outside strings. In valid JSON that is exactly the number
 *       of object members the text spells out.
 * json_members(value) returns the number of members of every dict in a parsed value (lists and
 * dicts walked to MAX_DEPTH + 1 levels; -1 past that). A parser that keeps the last of two
 * equal keys gives fewer members than the text has, so the two numbers are equal exactly when
 * no object repeats a key. Neither function raises for a bad document: jsonio decides.
 * Quotes, backslashes, brackets and colons are ASCII, and no byte of a multi-byte UTF-8
 * sequence is, so scanning bytes reads the same structure as scanning the decoded text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define MAX_DEPTH 64

/* The bytes json_scan looks at outside strings; everything else is skipped in a tight loop. */
static const unsigned char SPECIAL[256] = {
    ['"'] = 1, ['['] = 2, ['{'] = 2, [']'] = 3, ['}'] = 3, [':'] = 4,
};

PyObject *native_json_scan(PyObject *module, PyObject *data) {
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "json_scan takes bytes");
        return NULL;
    }
    const unsigned char *bytes = (const unsigned char *)PyBytes_AS_STRING(data);
    const unsigned char *end = bytes + PyBytes_GET_SIZE(data), *p = bytes;
    Py_ssize_t members = 0;
    int depth = 0;
    while (p < end) {
        while (p < end && !SPECIAL[*p]) p++;
        if (p == end) break;
        switch (SPECIAL[*p++]) {
        case 1: /* a string: up to the next quote that an odd run of backslashes does not escape */
            for (;;) {
                const unsigned char *quote = memchr(p, '"', (size_t)(end - p));
                if (quote == NULL) {
                    p = end;
                    break;
                }
                const unsigned char *back = quote;
                while (back > p && back[-1] == '\\') back--;
                p = quote + 1;
                if ((quote - back) % 2 == 0) break;
            }
            break;
        case 2:
            if (++depth > MAX_DEPTH) return PyLong_FromLong(-1);
            break;
        case 3:
            depth--;
            break;
        default:
            members++;
        }
    }
    return PyLong_FromSsize_t(members);
}

static Py_ssize_t count_members(PyObject *value, int depth) {
    if (depth > MAX_DEPTH + 1) return -1;
    PyObject *item;
    Py_ssize_t total = 0, found;
    if (PyDict_CheckExact(value)) {
        Py_ssize_t position = 0;
        PyObject *key;
        total = PyDict_GET_SIZE(value);
        while (PyDict_Next(value, &position, &key, &item)) {
            if (PyDict_CheckExact(item) || PyList_CheckExact(item)) {
                if ((found = count_members(item, depth + 1)) < 0) return -1;
                total += found;
            }
        }
    } else if (PyList_CheckExact(value)) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(value); i++) {
            item = PyList_GET_ITEM(value, i);
            if (PyDict_CheckExact(item) || PyList_CheckExact(item)) {
                if ((found = count_members(item, depth + 1)) < 0) return -1;
                total += found;
            }
        }
    }
    return total;
}

PyObject *native_json_members(PyObject *module, PyObject *value) {
    return PyLong_FromSsize_t(count_members(value, 1));
}
