package dev.vmm.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @Test
    void sizesParseLikeQemu() {
        assertThat(Sizes.parseMemory("--memory", "512")).isEqualTo(512L << 20);
        assertThat(Sizes.parseMemory("--memory", "512M")).isEqualTo(512L << 20);
        assertThat(Sizes.parseMemory("--memory", "2g")).isEqualTo(2L << 30);
        assertThat(Sizes.parseMemory("--memory", "64K")).isEqualTo(64L << 10);
        assertThatThrownBy(() -> Sizes.parseMemory("--memory", "12Q")).hasMessage("--memory: '12Q' is not a size (examples: 512M, 2G)");
        assertThatThrownBy(() -> Sizes.parseMemory("--memory", "99999999999T")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Sizes.parseMemory("--memory", "-1M")).hasMessageContaining("out of range");
        assertThat(Sizes.format(3L << 30)).isEqualTo("3 GiB");
    }

    @Test
    void charDevices() {
        assertThat(CharDevice.parse("--serial", "stdio")).isEqualTo(new CharDevice.Stdio());
        assertThat(CharDevice.parse("--serial", "file:/tmp/x")).isEqualTo(new CharDevice.File(Path.of("/tmp/x")));
        assertThat(CharDevice.parse("--serial", "none")).isEqualTo(new CharDevice.None());
        assertThatThrownBy(() -> CharDevice.parse("--serial", "file:")).hasMessageContaining("--serial: 'file:'");
    }

    @Test
    void fwCfgEntriesTakeQemusForm(@TempDir Path dir) throws Exception {
        assertThat(new String(FwCfgEntry.parse("name=opt/x,string=a,b").data())).isEqualTo("a,b");
        Path f = Files.write(dir.resolve("blob"), new byte[] {1, 2});
        assertThat(FwCfgEntry.parse("name=opt/y,file=" + f).data()).containsExactly(1, 2);
        assertThatThrownBy(() -> FwCfgEntry.parse("name=etc/e820,string=x")).hasMessageContaining("must start with opt/");
        assertThatThrownBy(() -> FwCfgEntry.parse("string=x")).hasMessageContaining("needs name=");
        assertThatThrownBy(() -> FwCfgEntry.parse("name=opt/z,blob=1")).hasMessageContaining("unknown key 'blob'");
        assertThatThrownBy(() -> FwCfgEntry.parse("name=opt/z,file=" + dir.resolve("no"))).hasMessageContaining("cannot read");
    }

    @Test
    void validationNamesTheOption() {
        VmConfig ok = VmConfig.defaults();
        assertThat(ok.validate()).isSameAs(ok);
        assertThatThrownBy(() -> ok.withMemory(1L << 20).validate())
                .hasMessage("--memory 1 MiB is too small: the VM needs at least 4 MiB");
        assertThatThrownBy(() -> ok.withMemory((8L << 20) + 1).validate()).hasMessageContaining("not a multiple of 4 KiB");
        assertThatThrownBy(() -> ok.withCpus(0).validate()).hasMessage("--cpus 0: must be 1 to 254");
        assertThatThrownBy(() -> ok.withCpus(255).validate()).isInstanceOf(ConfigException.class);
    }
}
