/* The hot loops of every verification, in C: passport.jcs and passport.multibase call them
 * (and jsonio the two passes of _native_json.c).
 *
 * canonical(value) returns the canonical UTF-8 bytes of a JSON value made of exact dicts, lists,
 * str, bool, None and integers within +-(2**53 - 1), or an int telling the Python side why it
 * must take its own path instead:
 *   1  a float, or an object key outside the Basic Multilingual Plane (the reference
 *      implementation handles number formatting and UTF-16 key order);
 *   2  anything else the Python path rejects with an error of its own (an integer out of range,
 *      a lone surrogate, nesting past MAX_DEPTH, a non-JSON type or a non-string key).
 * canonical() never raises for a bad document: errors and their messages live in one place, jcs.py.
 * For the accepted values the output equals json.dumps(sort_keys=True, ensure_ascii=False,
 * separators=(",", ":")), which RFC 8785 coincides with there; tests compare it with rfc8785.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_SAFE_INTEGER 9007199254740991LL
enum { OK = 0, FALLBACK = 1, REJECT = 2, NO_MEMORY = 3 };

typedef struct {
    char *data;
    Py_ssize_t length;
    Py_ssize_t capacity;
} Buffer;

static int reserve(Buffer *buffer, Py_ssize_t extra) {
    if (buffer->length + extra <= buffer->capacity) return OK;
    Py_ssize_t capacity = buffer->capacity * 2;
    while (capacity < buffer->length + extra) capacity *= 2;
    char *data = PyMem_Realloc(buffer->data, (size_t)capacity);
    if (data == NULL) return NO_MEMORY;
    buffer->data = data;
    buffer->capacity = capacity;
    return OK;
}

static int put(Buffer *buffer, const char *bytes, Py_ssize_t size) {
    if (reserve(buffer, size) != OK) return NO_MEMORY;
    memcpy(buffer->data + buffer->length, bytes, (size_t)size);
    buffer->length += size;
    return OK;
}

static int put_char(Buffer *buffer, char c) {
    if (reserve(buffer, 1) != OK) return NO_MEMORY;
    buffer->data[buffer->length++] = c;
    return OK;
}

/* Whether any of the eight bytes in `word` is below 0x20, '"' or '\\' (the bytes a string must
 * escape). The zero-byte test (w - 0x01..) & ~w & 0x80.. is exact about whether there is one. */
static inline int word_needs_escape(uint64_t word) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t quote = word ^ (ones * '"'), backslash = word ^ (ones * '\\');
    uint64_t found = ((word - ones * 0x20) & ~word)
                   | ((quote - ones) & ~quote)
                   | ((backslash - ones) & ~backslash);
    return (found & highs) != 0;
}

/* A string as RFC 8785 section 3.2.2.2 writes it: '"' and '\' escaped, the five short escapes,
 * other control characters as \u00xx (lower-case hex), everything else as UTF-8. Runs of plain
 * bytes are skipped eight at a time and copied in one piece. */
static int put_string(Buffer *buffer, PyObject *text) {
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
    if (utf8 == NULL) {  /* a lone surrogate has no UTF-8 form */
        PyErr_Clear();
        return REJECT;
    }
    static const char hex[] = "0123456789abcdef";
    if (reserve(buffer, size + 2) != OK) return NO_MEMORY;
    buffer->data[buffer->length++] = '"';
    Py_ssize_t start = 0, i = 0;
    while (i < size) {
        if (i + 8 <= size) {
            uint64_t word;
            memcpy(&word, utf8 + i, 8);
            if (!word_needs_escape(word)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)utf8[i++];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        if (put(buffer, utf8 + start, i - 1 - start) != OK) return NO_MEMORY;
        start = i;
        char escape[6] = {'\\', 0, 0, 0, 0, 0};
        Py_ssize_t length = 2;
        switch (c) {
            case '"': escape[1] = '"'; break;
            case '\\': escape[1] = '\\'; break;
            case '\b': escape[1] = 'b'; break;
            case '\f': escape[1] = 'f'; break;
            case '\n': escape[1] = 'n'; break;
            case '\r': escape[1] = 'r'; break;
            case '\t': escape[1] = 't'; break;
            default:
                escape[1] = 'u'; escape[2] = '0'; escape[3] = '0';
                escape[4] = hex[c >> 4]; escape[5] = hex[c & 0xF];
                length = 6;
        }
        if (put(buffer, escape, length) != OK) return NO_MEMORY;
    }
    if (put(buffer, utf8 + start, size - start) != OK) return NO_MEMORY;
    return put_char(buffer, '"');
}

static int encode_value(Buffer *buffer, PyObject *value, int depth);

/* Where one member of the top-level object landed in the output (canonical_split). */
typedef struct {
    const char *key;
    Py_ssize_t key_size;
    Py_ssize_t start, end;  /* start < 0: the key is not there */
} Span;

typedef struct {
    const char *utf8;
    Py_ssize_t size;
    PyObject *key;
    PyObject *value;
} Member;

/* Object keys are sorted by UTF-16 code units (RFC 8785 section 3.2.3). encode_object hands
 * over only keys without characters beyond U+FFFF and without lone surrogates, and for those the
 * UTF-8 byte order is the UTF-16 order: compare bytes, then lengths. */
static int compare_members(const void *left, const void *right) {
    const Member *a = left, *b = right;
    int order = memcmp(a->utf8, b->utf8, (size_t)(a->size < b->size ? a->size : b->size));
    if (order != 0) return order;
    return (a->size > b->size) - (a->size < b->size);
}

static int encode_object(Buffer *buffer, PyObject *object, int depth, Span *span) {
    Py_ssize_t count = PyDict_GET_SIZE(object);
    Member local[16];
    Member *members = count <= 16 ? local : PyMem_Malloc(sizeof(Member) * (size_t)count);
    if (members == NULL) return NO_MEMORY;
    int status = OK;
    Py_ssize_t position = 0, n = 0;
    PyObject *key, *value;
    while (status == OK && PyDict_Next(object, &position, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) status = REJECT;
        else if (PyUnicode_READY(key) < 0) status = NO_MEMORY;
        else if (PyUnicode_MAX_CHAR_VALUE(key) > 0xFFFF) status = FALLBACK;  /* UTF-16 order differs */
        else {
            members[n].utf8 = PyUnicode_AsUTF8AndSize(key, &members[n].size);
            if (members[n].utf8 == NULL) {  /* a lone surrogate */
                PyErr_Clear();
                status = REJECT;
            }
            members[n].key = key;
            members[n].value = value;
            n++;
        }
    }
    if (status == OK) {
        qsort(members, (size_t)n, sizeof(Member), compare_members);
        status = put_char(buffer, '{');
    }
    for (Py_ssize_t i = 0; i < n && status == OK; i++) {
        int marked = span != NULL && members[i].size == span->key_size
                     && memcmp(members[i].utf8, span->key, (size_t)span->key_size) == 0;
        if (marked) span->start = buffer->length;  /* with the comma before it, if any */
        if (i > 0) status = put_char(buffer, ',');
        if (status == OK) status = put_string(buffer, members[i].key);
        if (status == OK) status = put_char(buffer, ':');
        if (status == OK) status = encode_value(buffer, members[i].value, depth + 1);
        if (marked) span->end = buffer->length + (i == 0 && n > 1);  /* first member: the comma after it */
    }
    if (members != local) PyMem_Free(members);
    return status == OK ? put_char(buffer, '}') : status;
}

static int encode_array(Buffer *buffer, PyObject *array, int depth) {
    int status = put_char(buffer, '[');
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(array) && status == OK; i++) {
        if (i > 0) status = put_char(buffer, ',');
        if (status == OK) status = encode_value(buffer, PyList_GET_ITEM(array, i), depth + 1);
    }
    return status == OK ? put_char(buffer, ']') : status;
}

static int encode_value(Buffer *buffer, PyObject *value, int depth) {
    if (value == Py_None) return put(buffer, "null", 4);
    if (value == Py_True) return put(buffer, "true", 4);
    if (value == Py_False) return put(buffer, "false", 5);
    if (PyUnicode_CheckExact(value)) return put_string(buffer, value);
    if (PyLong_CheckExact(value)) {
        int overflow = 0;
        long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (number == -1 && PyErr_Occurred()) return NO_MEMORY;
        if (overflow || number > MAX_SAFE_INTEGER || number < -MAX_SAFE_INTEGER) return REJECT;
        char digits[24];
        int length = snprintf(digits, sizeof digits, "%lld", number);
        return put(buffer, digits, length);
    }
    if (PyFloat_CheckExact(value)) return FALLBACK;
    if (PyDict_CheckExact(value) || PyList_CheckExact(value)) {
        if (depth >= MAX_DEPTH) return REJECT;
        if (Py_EnterRecursiveCall(" in passport._native.canonical")) return NO_MEMORY;
        int status = PyDict_CheckExact(value) ? encode_object(buffer, value, depth, NULL)
                                              : encode_array(buffer, value, depth);
        Py_LeaveRecursiveCall();
        return status;
    }
    return REJECT;
}

static PyObject *canonical(PyObject *module, PyObject *value) {
    Buffer buffer = {PyMem_Malloc(4096), 0, 4096};
    if (buffer.data == NULL) return PyErr_NoMemory();
    int status = encode_value(&buffer, value, 0);
    PyObject *result = NULL;
    if (status == OK) result = PyBytes_FromStringAndSize(buffer.data, buffer.length);
    else if (status == NO_MEMORY) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
    } else result = PyLong_FromLong(status);
    PyMem_Free(buffer.data);
    return result;
}

/* canonical_split(object, key) returns (canonical bytes of the object, canonical bytes of the object
 * without its member `key`) from one pass: the second is the first with that member (and one
 * comma) cut out, since members are written in sorted order. The key must be there; otherwise,
 * and in every case where canonical() would not return bytes, it returns that int instead. */
static PyObject *canonical_split(PyObject *module, PyObject *args) {
    PyObject *object, *key;
    if (!PyArg_ParseTuple(args, "O!U", &PyDict_Type, &object, &key)) return NULL;
    if (!PyDict_CheckExact(object) || PyDict_GetItemWithError(object, key) == NULL) {
        if (PyErr_Occurred()) return NULL;
        return PyLong_FromLong(FALLBACK);
    }
    Span span = {NULL, 0, -1, -1};
    span.key = PyUnicode_AsUTF8AndSize(key, &span.key_size);
    if (span.key == NULL) {
        PyErr_Clear();
        return PyLong_FromLong(REJECT);
    }
    Buffer buffer = {PyMem_Malloc(4096), 0, 4096};
    if (buffer.data == NULL) return PyErr_NoMemory();
    if (Py_EnterRecursiveCall(" in passport._native.canonical_split")) {
        PyMem_Free(buffer.data);
        return NULL;
    }
    int status = encode_object(&buffer, object, 0, &span);
    Py_LeaveRecursiveCall();
    PyObject *result = NULL;
    if (status == OK && span.start >= 0) {
        PyObject *whole = PyBytes_FromStringAndSize(buffer.data, buffer.length);
        PyObject *rest = PyBytes_FromStringAndSize(NULL, buffer.length - (span.end - span.start));
        if (whole != NULL && rest != NULL) {
            char *out = PyBytes_AS_STRING(rest);
            memcpy(out, buffer.data, (size_t)span.start);
            memcpy(out + span.start, buffer.data + span.end, (size_t)(buffer.length - span.end));
            result = PyTuple_Pack(2, whole, rest);
        }
        Py_XDECREF(whole);
        Py_XDECREF(rest);
    } else if (status == NO_MEMORY) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
    } else result = PyLong_FromLong(status == OK ? FALLBACK : status);
    PyMem_Free(buffer.data);
    return result;
}

/* b58decode(text) returns the bytes of a base58btc string, or None when a character is outside
 * the alphabet (multibase.py then raises with the character named). Quadratic in the length,
 * like every base58 decoder: callers cap the length first. */
static PyObject *b58decode(PyObject *module, PyObject *text) {
    static signed char digits[256];
    static int ready = 0;
    static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    if (!ready) {
        memset(digits, -1, sizeof digits);
        for (int i = 0; i < 58; i++) digits[(unsigned char)alphabet[i]] = (signed char)i;
        ready = 1;
    }
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "b58decode takes a str");
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) return NULL;
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND || PyUnicode_MAX_CHAR_VALUE(text) > 0x7F) Py_RETURN_NONE;
    const unsigned char *chars = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t zeros = 0;
    while (zeros < length && chars[zeros] == '1') zeros++;
    /* The number in 32-bit limbs, least significant first; five digits (58**5 < 2**32) at a time. */
    Py_ssize_t capacity = (length - zeros) * 733 / 4000 + 2;
    uint32_t *limbs = PyMem_Calloc((size_t)capacity, sizeof(uint32_t));
    if (limbs == NULL) return PyErr_NoMemory();
    Py_ssize_t used = 0;
    for (Py_ssize_t i = zeros; i < length;) {
        uint64_t chunk = 0, scale = 1;
        for (int k = 0; k < 5 && i < length; k++, i++) {
            int digit = digits[chars[i]];
            if (digit < 0) {
                PyMem_Free(limbs);
                Py_RETURN_NONE;
            }
            chunk = chunk * 58 + (uint64_t)digit;
            scale *= 58;
        }
        uint64_t carry = chunk;
        for (Py_ssize_t j = 0; j < used; j++) {
            uint64_t product = (uint64_t)limbs[j] * scale + carry;
            limbs[j] = (uint32_t)product;
            carry = product >> 32;
        }
        if (carry) limbs[used++] = (uint32_t)carry;  /* one limb grows by at most 32 bits per chunk */
    }
    Py_ssize_t size = used * 4;  /* big-endian bytes, leading zero bytes of the top limb dropped */
    while (size > 0 && ((limbs[(size - 1) / 4] >> (8 * ((size - 1) % 4))) & 0xFF) == 0) size--;
    PyObject *result = PyBytes_FromStringAndSize(NULL, zeros + size);
    if (result != NULL) {
        unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
        memset(out, 0, (size_t)zeros);
        for (Py_ssize_t b = 0; b < size; b++)
            out[zeros + size - 1 - b] = (unsigned char)(limbs[b / 4] >> (8 * (b % 4)));
    }
    PyMem_Free(limbs);
    return result;
}

PyObject *native_json_scan(PyObject *module, PyObject *data);  /* _native_json.c */
PyObject *native_json_members(PyObject *module, PyObject *value);

static PyMethodDef methods[] = {
    {"canonical", canonical, METH_O, "Canonical bytes of a plain JSON value, or 1 (fallback) / 2 (reject)."},
    {"canonical_split", canonical_split, METH_VARARGS,
     "(canonical bytes, canonical bytes without one top-level member), or 1 (fallback) / 2 (reject)."},
    {"b58decode", b58decode, METH_O, "Bytes of a base58btc string, or None for a character outside it."},
    {"json_scan", native_json_scan, METH_O, "Members spelled out in JSON bytes, or -1 past MAX_DEPTH."},
    {"json_members", native_json_members, METH_O, "Members of every dict in a parsed JSON value."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
