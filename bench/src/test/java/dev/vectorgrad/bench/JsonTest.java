package dev.vectorgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsNestedObjectsArraysAndScalars() {
        Object value = Json.parse("""
                [ { "a" : 1.5e3, "b" : [ -2, 0.25, "NaN" ], "c" : { "d" : true, "e" : null, "f" : false } } ]
                """);
        Map<?, ?> obj = (Map<?, ?>) ((List<?>) value).get(0);
        assertEquals(1500.0, obj.get("a"));
        assertEquals(List.of(-2.0, 0.25, "NaN"), obj.get("b"));
        Map<?, ?> c = (Map<?, ?>) obj.get("c");
        assertEquals(Boolean.TRUE, c.get("d"));
        assertTrue(c.containsKey("e"));
        assertNull(c.get("e"));
        assertEquals(Boolean.FALSE, c.get("f"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(obj.keySet()), "keys keep file order");
    }

    @Test
    void decodesEscapes() {
        assertEquals("q\" b\\ s/ n\n t\t u\u00e9", Json.parse("\"q\\\" b\\\\ s\\/ n\\n t\\t u\\u00e9\""));
    }

    @Test
    void readsEmptyContainers() {
        assertEquals(List.of(), Json.parse(" [ ] "));
        assertEquals(Map.of(), Json.parse("{}"));
    }

    @Test
    void rejectsMalformedTextNamingTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertTrue(e.getMessage().contains("expected ':' at offset 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("tru"));
    }
}
