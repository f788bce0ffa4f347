package dev.tenantdeletion.orchestrator.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** A status enum as stored and answered: its constant's name in lower case ({@code partially_failed}). */
final class LowerCaseEnum {

    private LowerCaseEnum() {
    }

    static String value(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> parse(E[] constants, String value) {
        return Arrays.stream(constants).filter(c -> value(c).equals(value)).findFirst();
    }

    /** A value read from the database, where an unknown one is a broken invariant, not bad input. */
    static <E extends Enum<E>> E of(E[] constants, String value, String what) {
        return parse(constants, value).orElseThrow(() -> new IllegalStateException("unknown " + what + " in the database: " + value));
    }

    /** The values, to bind as a text array ({@code status = any($n)}). */
    static String[] asText(Collection<? extends Enum<?>> constants) {
        return constants.stream().map(LowerCaseEnum::value).toArray(String[]::new);
    }
}
