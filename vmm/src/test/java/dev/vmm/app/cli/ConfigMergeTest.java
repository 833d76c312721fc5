package dev.vmm.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.ConfigJson;
import dev.vmm.app.config.DiskConfig;
import dev.vmm.app.config.VmConfig;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** --config and the options beside it: the file first, given options replace, lists add up. */
class ConfigMergeTest {
    private final VmConfig file = ConfigJson.read("""
            {"cpus": {"count": 4}, "memory": {"size": 268435456}, "serial": "none",
             "disks": [{"path": "/a.img"}], "payload": {"kernel": "/k", "cmdline": "console=ttyS0"}}
            """);

    @Test
    void optionsNotGivenLeaveTheFilesValuesWhateverTheirDefaults() {
        VmConfig cli = VmConfig.builder().build();          // --cpus 1, --memory 128M, --serial stdio by default
        VmConfig merged = ConfigMerge.merge(file, cli, Set.<String>of()::contains);
        assertThat(merged.cpus().count()).isEqualTo(4);
        assertThat(merged.memory().size()).isEqualTo(256L << 20);
        assertThat(merged.serial()).isEqualTo(new CharDevice.None());
        assertThat(merged.payload().kernel()).isEqualTo(Path.of("/k"));
        assertThat(merged.platform().kvmDevice()).isEqualTo(Path.of("/dev/kvm"));
    }

    @Test
    void givenOptionsReplaceAndListsAddUp() {
        VmConfig cli = VmConfig.builder().cpus(2).serial(new CharDevice.Stdio()).kernel(null, null, "quiet")
                .addDisk(new DiskConfig(Path.of("/b.img"), true)).build();
        VmConfig merged = ConfigMerge.merge(file, cli, Set.of("--cpus", "--serial", "--append", "--disk")::contains);
        assertThat(merged.cpus().count()).isEqualTo(2);
        assertThat(merged.serial()).isEqualTo(new CharDevice.Stdio());
        assertThat(merged.payload().kernel()).as("--kernel not given").isEqualTo(Path.of("/k"));
        assertThat(merged.payload().cmdline()).isEqualTo("quiet");
        assertThat(merged.disks()).extracting(DiskConfig::path).containsExactly(Path.of("/a.img"), Path.of("/b.img"));
    }
}
