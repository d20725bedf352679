#include "stance.h"
#include "alloc.h"

#include <stdarg.h>
#include <stdlib.h>

int stance_error_set(stance_error *err, int code, const char *where, const char *fmt, ...)
{
    if (!err)
        return code;
    stance_error_clear(err);
    strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        strbuf_reserve(&sb, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(sb.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
        sb.len = (size_t)n;
    }
    err->code = code;
    err->where = where ? xstrdup(where) : NULL;
    err->message = strbuf_detach(&sb);
    return code;
}

void stance_error_clear(stance_error *err)
{
    if (!err)
        return;
    free(err->where);
    free(err->message);
    err->where = NULL;
    err->message = NULL;
    err->code = 0;
}
