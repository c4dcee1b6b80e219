package dev.vectorgrad.data.idx;

/** The element types of the IDX format, by the type byte in the magic number. */
public enum IdxType {
    /** 0x08: unsigned byte (MNIST images and labels). */
    UBYTE(0x08, 1),
    /** 0x09: signed byte. */
    BYTE(0x09, 1),
    /** 0x0B: big-endian 16-bit integer. */
    SHORT(0x0B, 2),
    /** 0x0C: big-endian 32-bit integer. */
    INT(0x0C, 4),
    /** 0x0D: big-endian float32. */
    FLOAT(0x0D, 4),
    /** 0x0E: big-endian float64. */
    DOUBLE(0x0E, 8);

    private final int code;
    private final int size;

    IdxType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    /** @return the type byte */
    public int code() {
        return code;
    }

    /** @return bytes per element */
    public int size() {
        return size;
    }

    /**
     * @param code a type byte
     * @return the type, or null if the byte names none
     */
    public static IdxType of(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
