package dev.tandem.connect.debezium;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjuster;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.connect.data.SchemaBuilder;

import io.debezium.connector.binlog.jdbc.BinlogValueConverters;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import io.debezium.time.Date;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.Timestamp;
import io.debezium.time.ZonedTimestamp;

/**
 * A Debezium {@link CustomConverter} for MySQL/MariaDB values that have no faithful counterpart in PostgreSQL,
 * so that they arrive either mapped as documented or in a form PostgreSQL refuses (and the sink quarantines),
 * never silently changed:
 * <ul>
 * <li><b>zero dates</b> ({@code 0000-00-00}, {@code 2024-00-15}, …) in {@code NOT NULL} DATE, DATETIME and TIMESTAMP
 * columns: Debezium sends them as 1970-01-01; here they become NULL, as they do in nullable columns (the
 * mapping pgloader applies too). The MySQL side's triggers turn a NULL written back by the sync into the zero
 * date again. Other values are converted exactly as Debezium does (adaptive_time_microseconds).</li>
 * <li><b>TINYINT(1) facing a PostgreSQL boolean</b> ({@code boolean.columns}): 0 and 1 travel as
 * {@code "false"}/{@code "true"}; any other number travels as itself and PostgreSQL refuses it, instead of
 * Debezium's boolean converter making it {@code true}.</li>
 * <li><b>YEAR 0000</b>: the binlog stores a YEAR as its offset from 1900, and Debezium adds 1900 back
 * without looking, so MySQL's 0000 arrives as 1900 (a year MySQL cannot hold); here it stays 0, the value
 * MySQL shows and the snapshot reads.</li>
 * </ul>
 * Options ({@code <name>.} prefix): {@code zero.dates} (default true), {@code boolean.columns} (comma-separated
 * regular expressions on {@code database.table.column}, commas inside written as {@code \x{2c}}).
 */
public class LegacyValueConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    private static final TemporalAdjuster TWO_DIGIT_YEARS = BinlogValueConverters::adjustTemporal;

    private boolean zeroDates = true;
    private final List<Pattern> booleanColumns = new ArrayList<>();

    @Override
    public void configure(Properties props) {
        zeroDates = Boolean.parseBoolean(props.getProperty("zero.dates", "true"));
        final String selector = props.getProperty("boolean.columns", "").trim();
        if (!selector.isEmpty()) {
            for (String regex : selector.split(",")) {
                if (!regex.isBlank()) {
                    booleanColumns.add(Pattern.compile(regex.trim()));
                }
            }
        }
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        final String type = column.typeName().toUpperCase(Locale.ROOT);
        if (zeroDates && !column.isOptional()) {
            switch (type) {
                case "DATE" -> registration.register(Date.builder().optional(),
                        raw -> isZero(raw) ? null : Date.toEpochDay(raw, TWO_DIGIT_YEARS));
                case "DATETIME" -> {
                    final int precision = column.length().orElse(0);
                    if (precision <= 3) {
                        registration.register(Timestamp.builder().optional(),
                                raw -> isZero(raw) ? null : Timestamp.toEpochMillis(localDateTime(raw), TWO_DIGIT_YEARS));
                    }
                    else {
                        registration.register(MicroTimestamp.builder().optional(),
                                raw -> isZero(raw) ? null : MicroTimestamp.toEpochMicros(localDateTime(raw), TWO_DIGIT_YEARS));
                    }
                }
                case "TIMESTAMP" -> registration.register(ZonedTimestamp.builder().optional(),
                        raw -> isZeroTimestamp(raw) ? null
                                : ZonedTimestamp.toIsoString(raw, ZoneOffset.UTC, TWO_DIGIT_YEARS, column.length().isPresent() ? column.length().getAsInt() : null));
                default -> {
                }
            }
            if (List.of("DATE", "DATETIME", "TIMESTAMP").contains(type)) {
                return;
            }
        }
        if ("YEAR".equals(type)) {
            final SchemaBuilder schema = io.debezium.time.Year.builder();
            registration.register(column.isOptional() ? schema.optional() : schema, LegacyValueConverter::year);
            return;
        }
        if (("TINYINT".equals(type) || "BOOLEAN".equals(type) || "BOOL".equals(type)) && !booleanColumns.isEmpty()
                && matches(column.dataCollection() + "." + column.name())) {
            final SchemaBuilder schema = SchemaBuilder.string();
            registration.register(column.isOptional() ? schema.optional() : schema, LegacyValueConverter::booleanText);
        }
    }

    private boolean matches(String qualifiedColumn) {
        return booleanColumns.stream().anyMatch(pattern -> pattern.matcher(qualifiedColumn).matches());
    }

    /**
     * Debezium hands a zero date over as null (binlog and snapshot of a DATE), or as the number 0 (snapshot of a
     * DATETIME): neither can be a real value of a NOT NULL column.
     */
    static boolean isZero(Object raw) {
        if (raw == null) {
            return true;
        }
        if (raw instanceof Number) {
            return ((Number) raw).longValue() == 0L;
        }
        if (raw instanceof CharSequence) {
            return raw.toString().startsWith("0000-") || raw.toString().matches("\\d{4}-00-.*|\\d{4}-\\d{2}-00.*");
        }
        return false;
    }

    /** A MySQL TIMESTAMP cannot hold the epoch itself (its range starts one second later): epoch 0 is its zero value. */
    static boolean isZeroTimestamp(Object raw) {
        if (isZero(raw)) {
            return true;
        }
        if (raw instanceof ZonedDateTime) {
            return ((ZonedDateTime) raw).toInstant().getEpochSecond() == 0 && ((ZonedDateTime) raw).getNano() == 0;
        }
        if (raw instanceof OffsetDateTime) {
            return ((OffsetDateTime) raw).toInstant().getEpochSecond() == 0 && ((OffsetDateTime) raw).getNano() == 0;
        }
        if (raw instanceof java.util.Date) {
            return ((java.util.Date) raw).getTime() == 0L;
        }
        if (raw instanceof CharSequence) {
            return raw.toString().startsWith("1970-01-01T00:00:00Z") || raw.toString().startsWith("1970-01-01T00:00Z");
        }
        return false;
    }

    /** Debezium reads DATETIME as java.sql.Timestamp in snapshots; its own path turns it into LocalDateTime first. */
    private static Object localDateTime(Object raw) {
        return raw instanceof java.sql.Timestamp ? ((java.sql.Timestamp) raw).toLocalDateTime() : raw;
    }

    /** A YEAR as MySQL shows it: 0 for 0000 (1900 from the binlog), else the year, whatever Java type carries it. */
    static Integer year(Object raw) {
        if (raw == null) {
            return null;
        }
        final int value;
        if (raw instanceof java.time.Year) {
            value = ((java.time.Year) raw).getValue();
        }
        else if (raw instanceof java.sql.Date) {
            value = ((java.sql.Date) raw).toLocalDate().getYear();
        }
        else if (raw instanceof java.time.LocalDate) {
            value = ((java.time.LocalDate) raw).getYear();
        }
        else if (raw instanceof Number) {
            value = ((Number) raw).intValue();
        }
        else {
            value = Integer.parseInt(raw.toString().trim());
        }
        return value == 1900 ? 0 : value;
    }

    static String booleanText(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Boolean) {
            return raw.toString();
        }
        final long value = ((Number) raw).longValue();
        return value == 0 ? "false" : value == 1 ? "true" : Long.toString(value);
    }
}
