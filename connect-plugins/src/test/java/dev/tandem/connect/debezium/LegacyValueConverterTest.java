package dev.tandem.connect.debezium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.OptionalInt;
import java.util.Properties;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;

class LegacyValueConverterTest {

    private static RelationalColumn column(String table, String name, String type, Integer length, boolean optional) {
        return new RelationalColumn() {
            public String name() { return name; }
            public String dataCollection() { return table; }
            public int jdbcType() { return 0; }
            public int nativeType() { return 0; }
            public String typeName() { return type; }
            public String typeExpression() { return type; }
            public OptionalInt length() { return length == null ? OptionalInt.empty() : OptionalInt.of(length); }
            public OptionalInt scale() { return OptionalInt.empty(); }
            public boolean isOptional() { return optional; }
            public Object defaultValue() { return null; }
            public boolean hasDefaultValue() { return false; }
        };
    }

    /** What the converter registered for one column: its schema and its conversion, or nothing. */
    private static final class Registered implements CustomConverter.ConverterRegistration<SchemaBuilder> {
        Schema schema;
        CustomConverter.Converter converter;

        public void register(SchemaBuilder schema, CustomConverter.Converter converter) {
            this.schema = schema.build();
            this.converter = converter;
        }
    }

    private static Registered register(Properties props, RelationalColumn column) {
        final LegacyValueConverter converter = new LegacyValueConverter();
        converter.configure(props);
        final Registered registered = new Registered();
        converter.converterFor(column, registered);
        return registered;
    }

    @Test
    void zeroDatesInNotNullColumnsBecomeNull() {
        final Registered date = register(new Properties(), column("app.t", "d", "DATE", null, false));
        assertTrue(date.schema.isOptional());
        assertEquals("io.debezium.time.Date", date.schema.name());
        assertNull(date.converter.convert(null));
        assertEquals(0, date.converter.convert(LocalDate.of(1970, 1, 1)));
        assertEquals(19737, date.converter.convert(LocalDate.of(2024, 1, 15)));

        final Registered micros = register(new Properties(), column("app.t", "dt", "DATETIME", 6, false));
        assertEquals("io.debezium.time.MicroTimestamp", micros.schema.name());
        assertNull(micros.converter.convert(0L));
        assertEquals(1_704_067_200_500_000L, micros.converter.convert(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 500_000_000)));
        assertEquals(1_704_067_200_500_000L, micros.converter.convert(java.sql.Timestamp.valueOf("2024-01-01 00:00:00.5")));

        final Registered millis = register(new Properties(), column("app.t", "dt", "DATETIME", null, false));
        assertEquals("io.debezium.time.Timestamp", millis.schema.name());
        assertEquals(1_704_067_200_000L, millis.converter.convert(LocalDateTime.of(2024, 1, 1, 0, 0)));

        final Registered zoned = register(new Properties(), column("app.t", "ts", "TIMESTAMP", 6, false));
        assertEquals("io.debezium.time.ZonedTimestamp", zoned.schema.name());
        assertNull(zoned.converter.convert(ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
        assertNull(zoned.converter.convert("1970-01-01T00:00:00Z"));
        assertEquals("2020-01-01T10:00:00.123456Z", zoned.converter.convert(ZonedDateTime.of(2020, 1, 1, 10, 0, 0, 123_456_000, ZoneOffset.UTC)));
    }

    @Test
    void leavesNullableTemporalColumnsToDebezium() {
        assertNull(register(new Properties(), column("app.t", "d", "DATE", null, true)).schema);
        final Properties off = new Properties();
        off.setProperty("zero.dates", "false");
        assertNull(register(off, column("app.t", "d", "DATE", null, false)).schema);
    }

    @Test
    void tinyintOneFacingABooleanTravelsAsTextThatOnlyZeroAndOneMakeBoolean() {
        final Properties props = new Properties();
        props.setProperty("boolean.columns", "app\\.t\\.flag,app\\.t\\x{2c}odd\\.f");
        final Registered flag = register(props, column("app.t", "flag", "TINYINT", 1, false));
        assertEquals(Schema.Type.STRING, flag.schema.type());
        assertEquals("false", flag.converter.convert((short) 0));
        assertEquals("true", flag.converter.convert(1));
        assertEquals("2", flag.converter.convert(2));
        assertEquals("-1", flag.converter.convert((short) -1));
        assertTrue(register(props, column("app.t,odd", "f", "TINYINT", 1, true)).schema.isOptional());
        assertNull(register(props, column("app.t", "other", "TINYINT", 1, false)).schema);
    }

    @Test
    void recognisesZeroValues() {
        assertTrue(LegacyValueConverter.isZero("0000-00-00"));
        assertTrue(LegacyValueConverter.isZero("2024-00-15"));
        assertTrue(LegacyValueConverter.isZero("2024-03-00 10:00:00"));
        assertFalse(LegacyValueConverter.isZero("2024-03-01"));
        assertFalse(LegacyValueConverter.isZero(LocalDate.EPOCH));
        assertFalse(LegacyValueConverter.isZeroTimestamp(ZonedDateTime.of(1970, 1, 1, 0, 0, 1, 0, ZoneOffset.UTC)));
    }

    @Test
    void keepsYearZeroAsMysqlShowsIt() {
        final Registered year = register(new Properties(), column("app.t", "yr", "YEAR", 4, true));
        assertEquals(Schema.Type.INT32, year.schema.type());
        assertTrue(year.schema.isOptional());
        assertEquals(0, year.converter.convert(1900));
        assertEquals(2155, year.converter.convert(2155));
        assertEquals(1901, year.converter.convert(java.time.Year.of(1901)));
        assertEquals(2024, year.converter.convert(java.sql.Date.valueOf("2024-01-01")));
        assertNull(year.converter.convert(null));
    }
}
