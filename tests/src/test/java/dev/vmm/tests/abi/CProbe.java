package dev.vmm.tests.abi;

import dev.vmm.core.abi.CStruct;
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
            #include <string.h>
            #include <errno.h>
            #include <fcntl.h>
            #include <signal.h>
            #include <sys/mman.h>
            #include <sys/syscall.h>
            #include <sys/ioctl.h>
            #include <asm-generic/hugetlb_encode.h>
            #include <sys/eventfd.h>
            #include <sys/epoll.h>
            #include <poll.h>
            #include <termios.h>
            #include <linux/version.h>
            #include <linux/kvm.h>
            #include <linux/kvm_para.h>
            #include <linux/psp-sev.h>
            #include <linux/pci_regs.h>
            #include <linux/virtio_ids.h>
            #include <linux/virtio_config.h>
            #include <linux/virtio_ring.h>
            #include <linux/virtio_pci.h>
            #include <linux/virtio_blk.h>
            #include <linux/virtio_console.h>
            #include <linux/virtio_net.h>
            #include <linux/virtio_vsock.h>
            #include <linux/vm_sockets.h>
            #include <sys/socket.h>
            #include <sys/un.h>
            #include <linux/if.h>
            #include <linux/if_tun.h>
            #include <asm/bootparam.h>

            /* Lowest set bit of an object and how many bits are set: where a bitfield lies and how wide it is. */
            static long first_bit(const unsigned char *p, size_t n) {
                for (size_t i = 0; i < n * 8; i++) if (p[i / 8] >> (i % 8) & 1) return (long) i;
                return -1;
            }
            static long bit_count(const unsigned char *p, size_t n) {
                long c = 0;
                for (size_t i = 0; i < n * 8; i++) c += p[i / 8] >> (i % 8) & 1;
                return c;
            }
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
            if (CStruct.isBitfieldUnit(m)) {
                bitfields(type, g, m, prefix, at);
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

    /** Each bitfield of a unit: its first bit from the start of the struct, and its width. */
    private void bitfields(String type, GroupLayout g, MemoryLayout unit, String prefix, long at) {
        for (String f : unit.name().orElseThrow().split("\\|")) {
            String name = f.substring(0, f.indexOf(':'));
            CStruct.Bitfield b = CStruct.bitfield(g, name).orElseThrow();
            String set = "({ " + type + " t; memset(&t, 0, sizeof t); t." + prefix + name + " = 0; t." + prefix + name
                    + "--; ";
            fact("bit " + type + "." + prefix + name, set + "first_bit((const unsigned char *) &t, sizeof t); })",
                    at * 8 + b.shift());
            fact("bits " + type + "." + prefix + name, set + "bit_count((const unsigned char *) &t, sizeof t); })",
                    b.width());
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
