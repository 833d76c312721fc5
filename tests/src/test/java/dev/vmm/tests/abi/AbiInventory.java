package dev.vmm.tests.abi;

import dev.vmm.core.abi.AbiExempt;
import dev.vmm.core.abi.CConstant;
import dev.vmm.core.abi.CName;
import dev.vmm.core.sys.Ioctl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Everything in our code that mirrors a kernel or libc definition, found by reflection over the
 * classes of every module: named struct layouts, ioctl numbers, {@link CName} constants and
 * {@link CConstant} enums. A static layout without a C name is reported as uncovered.
 */
final class AbiInventory {
    record Struct(String where, GroupLayout layout) {}

    final List<Struct> structs = new ArrayList<>();
    final Map<String, Long> macros = new LinkedHashMap<>();
    final Map<String, String> macroSource = new LinkedHashMap<>();
    final List<String> uncovered = new ArrayList<>();

    static AbiInventory scan(Class<?>... moduleMarkers) {
        AbiInventory inv = new AbiInventory();
        TreeSet<String> classNames = new TreeSet<>();
        for (Class<?> marker : moduleMarkers) {
            classNames.addAll(classesOf(marker));
        }
        for (String name : classNames) {
            try {
                inv.inspect(Class.forName(name, true, AbiInventory.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
        }
        return inv;
    }

    private void inspect(Class<?> c) {
        if (c.isEnum() && CConstant.class.isAssignableFrom(c)) {
            for (Object o : c.getEnumConstants()) {
                CConstant k = (CConstant) o;
                if (k.cName() != null) {      // a value no header names (the VMSA page type)
                    macro(k.cName(), k.value(), c.getName() + "." + ((Enum<?>) o).name());
                }
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.isAnnotationPresent(AbiExempt.class)) {
                continue;
            }
            String where = c.getName() + "." + f.getName();
            if (MemoryLayout.class.isAssignableFrom(f.getType())) {
                MemoryLayout layout = (MemoryLayout) read(f);
                if (layout instanceof GroupLayout g && g.name().isPresent()) {
                    structs.add(new Struct(where, g));
                } else {
                    uncovered.add(where + " (layout without a C struct name)");
                }
            } else if (f.getType() == Ioctl.class) {
                Ioctl ioctl = (Ioctl) read(f);
                macro(ioctl.name(), ioctl.request(), where);
            } else if (f.isAnnotationPresent(CName.class)) {
                Object v = read(f);
                long value = v instanceof Number n ? n.longValue() : Long.MIN_VALUE;
                macro(f.getAnnotation(CName.class).value(), value, where);
            }
        }
    }

    private void macro(String name, long value, String where) {
        Long old = macros.putIfAbsent(name, value);
        if (old != null && old != value) {
            uncovered.add(where + " gives " + name + " = " + value + " but " + macroSource.get(name) + " gives " + old);
        }
        macroSource.putIfAbsent(name, where);
    }

    private static Object read(Field f) {
        try {
            f.setAccessible(true);
            return f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> classesOf(Class<?> marker) {
        try {
            Path location = Path.of(marker.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (Stream<Path> s = Files.walk(location)) {
                    return s.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$"))
                            .map(p -> location.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                            .toList();
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && !n.contains("$") && n.startsWith("dev/"))
                        .map(n -> n.replace('/', '.').replaceAll("\\.class$", ""))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
