package dev.vectorgrad.data.numpy;

/**
 * The NumPy element types this module reads, named by NumPy's kind-and-size code
 * ({@code 'f4'}, {@code 'u1'}, ...). Structured, object, string and complex dtypes are refused.
 */
public enum DType {
    /** {@code bool}, one byte 0 or 1. */
    BOOL("b1", 1),
    /** {@code uint8}. */
    UINT8("u1", 1),
    /** {@code int8}. */
    INT8("i1", 1),
    /** {@code uint16}. */
    UINT16("u2", 2),
    /** {@code int16}. */
    INT16("i2", 2),
    /** {@code int32}. */
    INT32("i4", 4),
    /** {@code int64}. */
    INT64("i8", 8),
    /** {@code float32}. */
    FLOAT32("f4", 4),
    /** {@code float64}. */
    FLOAT64("f8", 8);

    private final String code;
    private final int itemSize;

    DType(String code, int itemSize) {
        this.code = code;
        this.itemSize = itemSize;
    }

    /** @return NumPy's code without byte order, e.g. {@code "f4"} */
    public String code() {
        return code;
    }

    /** @return bytes per element */
    public int itemSize() {
        return itemSize;
    }

    /**
     * @param code a NumPy code such as {@code "f4"}, {@code "u1"}, {@code "?"} or a name such
     *     as {@code "float32"}
     * @return the matching type, or null if this module does not read it
     */
    public static DType fromCode(String code) {
        switch (code) {
            case "?", "b1", "bool" -> {
                return BOOL;
            }
            case "uint8" -> {
                return UINT8;
            }
            case "int8" -> {
                return INT8;
            }
            case "uint16" -> {
                return UINT16;
            }
            case "int16" -> {
                return INT16;
            }
            case "int32" -> {
                return INT32;
            }
            case "int64" -> {
                return INT64;
            }
            case "float32" -> {
                return FLOAT32;
            }
            case "float64" -> {
                return FLOAT64;
            }
            default -> {
                for (DType d : values()) {
                    if (d.code.equals(code)) {
                        return d;
                    }
                }
                return null;
            }
        }
    }
}
