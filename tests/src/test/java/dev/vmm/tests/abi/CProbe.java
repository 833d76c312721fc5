package dev.vmm.tests.abi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.UnionLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the inventory into C: one printf per fact (struct size, member offset and size, macro value),
 * keyed the same way as the values the Java side expects.
 */
final class CProbe {
    static final String HEADERS = """
            #include <stdio.h>
            #include <stddef.h>
            #include <errno.h>
            #include <fcntl.h>
            #include <signal.h>
            #include <sys/mman.h>
            #include <sys/eventfd.h>
            #include <termios.h>
            #include <linux/version.h>
            #include <linux/kvm.h>
            #include <linux/kvm_para.h>
            #include <linux/psp-sev.h>
            """;

    final Map<String, Long> expected = new LinkedHashMap<>();
    final StringBuilder body = new StringBuilder();

    CProbe(AbiInventory inventory) {
        fact("LINUX_VERSION_CODE", "LINUX_VERSION_CODE", -1);
        for (AbiInventory.Struct s : inventory.structs) {
            GroupLayout g = s.layout();
            String type = (g instanceof UnionLayout ? "union " : "struct ") + g.name().orElseThrow();
            fact("sizeof " + type, "sizeof(" + type + ")", g.byteSize());
            members(type, g, "", 0);
        }
        inventory.macros.forEach((name, value) -> fact(name, "(long long)(" + name + ")", value));
    }

    private void members(String type, GroupLayout g, String prefix, long base) {
        long offset = 0;
        for (MemoryLayout m : g.memberLayouts()) {
            long at = base + (g instanceof UnionLayout ? 0 : offset);
            offset += m.byteSize();
            if (m instanceof PaddingLayout) {
                continue;
            }
            if (m.name().isEmpty()) {
                if (m instanceof GroupLayout anon) {
                    members(type, anon, prefix, at);
                    continue;
                }
                throw new IllegalStateException(type + ": unnamed member " + m + " at " + at);
            }
            String path = prefix + m.name().get();
            fact("offsetof " + type + "." + path, "offsetof(" + type + ", " + path + ")", at);
            fact("sizeof " + type + "." + path, "sizeof(((" + type + " *)0)->" + path + ")", m.byteSize());
            if (m instanceof GroupLayout inner) {
                members(type, inner, path + ".", at);
            } else if (m instanceof SequenceLayout seq && seq.elementLayout() instanceof GroupLayout element) {
                members(type, element, path + "[0].", at);
            }
        }
    }

    private void fact(String key, String cExpr, long value) {
        expected.put(key, value);
        body.append("    printf(\"%s\\t%lld\\n\", \"").append(key).append("\", (long long)(").append(cExpr).append("));\n");
    }

    String program() {
        return HEADERS + "\nint main(void) {\n" + body + "    return 0;\n}\n";
    }
}
