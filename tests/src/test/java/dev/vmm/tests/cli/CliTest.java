package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code vmm run} end to end, in a process of its own. */
class CliTest {
    @Test
    void bootsTheEmbeddedGuestByDefault() throws Exception {
        VmmProcess r = VmmProcess.run("run", "--cpus", "2");
        assertThat(r.stdout()).contains("vmm test guest: reset vector").contains("vCPUs online: 2 of 2").endsWith("exit 0\n");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.status()).isZero();
    }

    @Test
    void theProcessExitsWithTheGuestsStatus() throws Exception {
        VmmProcess r = VmmProcess.run("run", "--fw-cfg", "name=opt/vmm/scenario,string=exit:9");
        assertThat(r.status()).isEqualTo(9);
    }

    @Test
    void stdinReachesTheGuestThroughCom1() throws Exception {
        Process p = VmmProcess.start("run", "--fw-cfg", "name=opt/vmm/scenario,string=echo");
        p.getOutputStream().write("hello, vmm\n".getBytes());
        p.getOutputStream().flush();
        VmmProcess r = VmmProcess.finish(p);
        assertThat(r.stdout()).contains("type a line:\necho: hello, vmm\nexit 0\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void serialCanGoToAFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("serial.log");
        VmmProcess r = VmmProcess.run("run", "--serial", "file:" + log);
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(Files.readString(log)).contains("vCPUs online: 1 of 1");
    }

    @Test
    void aCrashedGuestIsReportedOnStderrWithStatus3() throws Exception {
        VmmProcess r = VmmProcess.run("run", "--fw-cfg", "name=opt/vmm/scenario,string=triple-fault");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.stderr()).startsWith("vmm: vcpu0: triple fault (KVM_EXIT_SHUTDOWN) at RIP 0x")
                .contains("RIP=").contains("CR0=").contains("EFER=");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--firmware /nonexistent/OVMF.fd | vmm: error: /nonexistent/OVMF.fd: no such firmware file",
        "--memory 1M | vmm: error: --memory: 1 MiB is too small: the VM needs at least 4 MiB",
        "--memory lots | vmm: error: --memory: 'lots' is not a size (examples: 512M, 2G)",
        "--cpus 0 | vmm: error: --cpus: 0 is not 1 to 254",
        "--serial tty | vmm: error: --serial: 'tty' is not stdio, file:PATH or none",
        "--kvm-device /nonexistent/kvm | vmm: error: /nonexistent/kvm: ENOENT (No such file or directory): KVM is not available",
        "--kvm-device pom.xml | vmm: error: pom.xml: not a KVM device (KVM_GET_API_VERSION: ENOTTY",
    })
    void badInputIsOneLineWithoutAStackTrace(String args, String message) throws Exception {
        VmmProcess r = VmmProcess.run(("run " + args).split(" "));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr()).startsWith(message).doesNotContain("\tat ").hasLineCount(1);
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)    // the read below can block
    void sigtermStopsARunningGuestCleanly() throws Exception {
        Process p = VmmProcess.start("run", "--fw-cfg", "name=opt/vmm/scenario,string=spin");
        byte[] buf = new byte[4096];
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("spinning")) {
            int n = p.getInputStream().read(buf);
            assertThat(n).as("guest output before spinning").isPositive();
            seen.append(new String(buf, 0, n));
        }
        p.toHandle().destroy();    // SIGTERM; Process.destroy() would also close our end of the pipes
        VmmProcess r = VmmProcess.finish(p);
        assertThat(r.status()).isEqualTo(128 + 15);
        assertThat(r.stderr()).isEqualTo("vmm: stopped: SIGTERM\n");
    }

    @Test
    void helpAndVersion() throws Exception {
        assertThat(VmmProcess.run("--version").stdout()).startsWith("vmm ");
        VmmProcess help = VmmProcess.run("run", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.stdout()).contains("--firmware=FILE").contains("--memory=SIZE").contains("--cpus=N")
                .contains("--serial=stdio|file:PATH|none");
    }
}
