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
        assertThat(new String(FwCfgEntry.parse("name=opt/x,string=a,b").data("f"))).isEqualTo("a,b");
        Path f = Files.write(dir.resolve("blob"), new byte[] {1, 2});
        assertThat(FwCfgEntry.parse("name=opt/y,file=" + f).data("f")).containsExactly(1, 2);
        VmConfig.Builder b = VmConfig.builder();
        assertThatThrownBy(() -> b.addFwCfg(FwCfgEntry.parse("name=etc/e820,string=x")).build().validate())
                .hasMessage("fw_cfg[0].name: 'etc/e820' must start with opt/ (the namespace QEMU leaves to users)");
        assertThatThrownBy(() -> FwCfgEntry.parse("string=x")).hasMessageContaining("needs name=");
        assertThatThrownBy(() -> FwCfgEntry.parse("name=opt/z,blob=1")).hasMessageContaining("unknown key 'blob'");
        assertThatThrownBy(() -> FwCfgEntry.parse("name=opt/z,file=" + dir.resolve("no")).data("fw_cfg[3]"))
                .hasMessage("fw_cfg[3].file: " + dir.resolve("no") + ": no such file");
        assertThatThrownBy(() -> FwCfgEntry.parse("name=opt/z,file=/dev/zero").data("fw_cfg[4]"))
                .hasMessage("fw_cfg[4].file: /dev/zero: a device, FIFO or socket, not a regular file");
    }

    @Test
    void validationNamesTheField() {
        VmConfig ok = VmConfig.defaults();
        assertThat(ok.validate()).isSameAs(ok);
        assertThatThrownBy(() -> ok.toBuilder().memory(1L << 20).build().validate())
                .hasMessage("memory.size: 1 MiB is too small: the VM needs at least 4 MiB");
        assertThatThrownBy(() -> ok.toBuilder().memory((8L << 20) + 1).build().validate())
                .hasMessageContaining("not a multiple of 4 KiB");
        assertThatThrownBy(() -> ok.toBuilder().memory(5L << 20).hugepages(true).build().validate())
                .hasMessage("memory.size: 5242880 bytes is not a multiple of 2 MiB (required with memory.hugepages)");
        assertThatThrownBy(() -> ok.toBuilder().cpus(0).build().validate()).hasMessage("cpus.count: 0 is not 1 to 254");
        assertThatThrownBy(() -> ok.toBuilder().cpus(255).build().validate()).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ok.toBuilder().firmwareVars(Path.of("v")).build().validate())
                .hasMessage("payload.firmware_vars: needs payload.firmware (the code image to put above it)");
        assertThatThrownBy(() -> ok.toBuilder().kernel(null, Path.of("i"), null).build().validate())
                .hasMessage("payload.initrd: needs payload.kernel");
        assertThatThrownBy(() -> ok.toBuilder().addNet(new NetConfig("tap0", null, "52:54")).build().validate())
                .hasMessage("nets[0].mac: '52:54' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        assertThatThrownBy(() -> ok.toBuilder().rng(new RngConfig("/dev/random")).build().validate())
                .hasMessage("rng.source: '/dev/random' is not getrandom (the only source)");
    }

    @Test
    void anErrorReadsWithTheCallersNamesForFields() {
        ConfigException e = new ConfigException("payload.firmware_vars", "needs {payload.firmware} and {nets[1].mac}");
        assertThat(e.field()).isEqualTo("payload.firmware_vars");
        assertThat(e.render(f -> "<" + f + ">")).isEqualTo("<payload.firmware_vars>: needs <payload.firmware> and <nets[1].mac>");
        assertThat(new ConfigException("--x: whole message").render(f -> "never")).isEqualTo("--x: whole message");
    }

    @Test
    void aBuilderRoundTripsEveryField(@TempDir Path dir) {
        VmConfig c = VmConfig.builder().firmware(dir.resolve("fw")).cpus(3).memory(64L << 20).hugepages(true)
                .serial(new CharDevice.None()).debugcon(new CharDevice.File(dir.resolve("dbg")))
                .addFwCfg(FwCfgEntry.ofString("opt/a", "b")).kvmDevice(dir.resolve("kvm")).emulationAssist(false)
                .confidential(ConfidentialConfig.simulated(dev.vmm.sev.SevMode.SEV_ES, "EPYC")).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.cpus().count()).isEqualTo(3);
        assertThat(c.platform()).isEqualTo(new PlatformConfig(dir.resolve("kvm"), false));
    }

    @Test
    void devicesCheckTheirFields(@TempDir Path dir) {
        assertThatThrownBy(() -> new DiskConfig(null, true).validate("disks[0]")).hasMessage("disks[0].path: is required");
        assertThatThrownBy(() -> new NetConfig("tap0", dir, null).validate("nets[2]"))
                .hasMessage("nets[2]: needs one of nets[2].tap and nets[2].socket");
        assertThatThrownBy(() -> new NetConfig("tap0", null, "52:54:00:12:34").validate("nets[0]"))
                .hasMessage("nets[0].mac: '52:54:00:12:34' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        new NetConfig(null, dir, "52:54:00:12:34:56").validate("nets[0]");
    }
}
