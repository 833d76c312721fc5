package dev.vmm.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.SevMode;
import dev.vmm.sev.psp.PspKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The config records as JSON: what the config file and the API will read. */
class ConfigJsonTest {
    @Test
    void aConfigRoundTripsWithItsSchemasNames() {
        VmConfig c = VmConfig.builder().firmware(Path.of("/usr/share/ovmf/OVMF.fd")).cpus(2).memory(256L << 20)
                .serial(new CharDevice.File(Path.of("/tmp/com1"))).addFwCfg(FwCfgEntry.ofString("opt/x", "y"))
                .kernel(Path.of("/boot/vmlinuz"), null, "console=ttyS0").vsock(new VsockConfig(42, Path.of("/tmp/v.sock")))
                .confidential(new ConfidentialConfig(SevMode.SEV_SNP, 0x30000L, PspKind.SIMULATED, "EPYC-Milan", 1,
                        null, "00".repeat(32), null, null, false)).build();
        String json = ConfigJson.write(c);
        assertThat(json).contains("\"firmware\":\"/usr/share/ovmf/OVMF.fd\"").contains("\"serial\":\"file:/tmp/com1\"")
                .contains("\"mode\":\"sev-snp\"").contains("\"psp\":\"simulated\"").contains("\"cpu_model\":\"EPYC-Milan\"")
                .contains("\"fw_cfg\":[{\"name\":\"opt/x\",\"string\":\"y\"}]").contains("\"cmdline\":\"console=ttyS0\"")
                .contains("\"vsock\":{\"cid\":42,\"socket\":\"/tmp/v.sock\"}")
                .doesNotContain("null");
        assertThat(ConfigJson.read(json)).isEqualTo(c);
    }

    @Test
    void unknownFieldsAreRefusedWithTheirPath() {
        String json = ConfigJson.write(VmConfig.defaults()).replace("\"count\":1", "\"count\":1,\"sockets\":2");
        assertThatThrownBy(() -> ConfigJson.read(json)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config: cpus.sockets: ").hasMessageContaining("\"sockets\"");
    }

    @Test
    void badValuesNameTheirField() {
        String json = ConfigJson.write(VmConfig.defaults()).replace("\"serial\":\"stdio\"", "\"serial\":\"tty\"");
        assertThatThrownBy(() -> ConfigJson.read(json)).hasMessageContaining("serial: ");
        String mode = "{\"confidential\":{\"mode\":\"tdx\",\"psp\":\"kvm\"}}";
        assertThatThrownBy(() -> ConfigJson.read(mode)).hasMessageContaining("confidential.mode: ");
    }

    @Test
    void listsLeftOutAreEmptyAndMissingPartsAreNamedByValidation() {
        VmConfig c = ConfigJson.read("{\"cpus\":{\"count\":1}}");
        assertThat(c.fwCfg()).isEmpty();
        assertThatThrownBy(c::validate).hasMessage("payload: is required");
    }
}
