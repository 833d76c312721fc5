package dev.vmm.app.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options declared in code with picocli's programmatic API, for the commands on the start-up
 * path ({@code vmm} and {@code run}). picocli reads annotated options by reflection, which the JDK's AOT
 * cache cannot keep (annotation proxy classes, field accessors): about 35 ms of every start here. The
 * other commands keep their annotations.
 *
 * <p>{@code names} is picocli's list written as in the usage, {@code "-m, --memory"}; a {@code null}
 * default is no default.
 */
final class OptionTable {
    private final CommandSpec spec;

    OptionTable(CommandSpec spec) {
        this.spec = spec;
    }

    OptionTable text(String names, String label, String defaultValue, String description, Consumer<String> to) {
        return holding(option(names, label, defaultValue, description).type(String.class), null, to::accept);
    }

    OptionTable path(String names, String label, String defaultValue, String description, Consumer<Path> to) {
        return holding(option(names, label, defaultValue, description).type(Path.class), null, to::accept);
    }

    OptionTable number(String names, String label, String defaultValue, String description, IntConsumer to) {
        return holding(option(names, label, defaultValue, description).type(int.class), 0, (Integer v) -> to.accept(v));
    }

    OptionTable flag(String names, String description, Consumer<Boolean> to) {
        return holding(OptionSpec.builder(names.split(", ")).description(description).type(boolean.class), false, to::accept);
    }

    /** A repeatable option whose values are added to {@code into}, in the order given. */
    OptionTable repeated(String names, String label, String description, List<String> into) {
        OptionSpec.Builder b = option(names, label, null, description).type(List.class).auxiliaryTypes(String.class);
        return bound(b, () -> into, (List<String> values) -> {
            if (values != into) {              // picocli hands back the list it got, a new one, or null to reset
                into.clear();
                if (values != null) {
                    into.addAll(values);
                }
            }
        });
    }

    /** picocli's two standard help options, {@code -h, --help} and {@code -V, --version}, as it words them. */
    OptionTable standardHelp() {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return this;
    }

    private static OptionSpec.Builder option(String names, String label, String defaultValue, String description) {
        OptionSpec.Builder b = OptionSpec.builder(names.split(", ")).paramLabel(label).description(description);
        return defaultValue == null ? b : b.defaultValue(defaultValue);
    }

    /**
     * Bound as picocli binds an option it made itself: it reads back the last value it set, at first
     * {@code initial} (picocli sets that again before each parse).
     */
    private <T> OptionTable holding(OptionSpec.Builder b, T initial, Consumer<T> to) {
        Object[] last = {initial};
        return bound(b.initialValue(initial), () -> {
            @SuppressWarnings("unchecked")
            T v = (T) last[0];
            return v;
        }, (T v) -> {
            last[0] = v;
            to.accept(v);
        });
    }

    private <T> OptionTable bound(OptionSpec.Builder b, Supplier<T> from, Consumer<T> to) {
        spec.addOption(b.getter(new IGetter() {
            @Override
            @SuppressWarnings("unchecked")
            public <V> V get() {
                return (V) from.get();
            }
        }).setter(new ISetter() {
            @Override
            @SuppressWarnings("unchecked")
            public <V> V set(V value) {
                V old = (V) from.get();
                to.accept((T) value);
                return old;
            }
        }).build());
        return this;
    }
}
