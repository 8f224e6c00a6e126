package dev.tandem.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ApplyOrderTest {

    @Test
    void appliesRowsBeforeTombstonesKeepingEachGroupsOrder() {
        final List<String> batch = List.of("t1:del v1", "a:row v1", "a:del v1", "b:row v1", "a:row v2", "b:del v1");
        assertEquals(List.of("a:row v1", "b:row v1", "a:row v2", "t1:del v1", "a:del v1", "b:del v1"),
                ApplyOrder.rowsBeforeTombstones(batch, record -> record.contains(":del")));
    }
}
