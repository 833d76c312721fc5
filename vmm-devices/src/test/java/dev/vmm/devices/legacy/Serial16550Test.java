package dev.vmm.devices.legacy;

import static dev.vmm.devices.legacy.Serial16550.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Serial16550Test {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Boolean> irq = new ArrayList<>();
    private final Serial16550 uart = new Serial16550(out, irq::add);

    private boolean irqLevel() {
        return !irq.isEmpty() && irq.getLast();
    }

    @Test
    void transmitsInstantly() {
        assertThat(uart.readRegister(LSR) & (LSR_THRE | LSR_TEMT)).isEqualTo(LSR_THRE | LSR_TEMT);
        uart.writeRegister(RBR_THR_DLL, 'h');
        uart.writeRegister(RBR_THR_DLL, 'i');
        assertThat(out.toString()).isEqualTo("hi");
        assertThat(uart.readRegister(LSR) & LSR_THRE).isEqualTo(LSR_THRE);
    }

    @Test
    void divisorLatchSharesTheDataRegisters() {
        uart.writeRegister(LCR, LCR_DLAB | 3);
        uart.writeRegister(RBR_THR_DLL, 1);
        uart.writeRegister(IER_DLM, 0);
        assertThat(uart.readRegister(RBR_THR_DLL)).isEqualTo(1);
        uart.writeRegister(LCR, 3);
        uart.writeRegister(RBR_THR_DLL, 'x');
        assertThat(out.toString()).isEqualTo("x");
        assertThat(uart.readRegister(LCR)).isEqualTo(3);
    }

    @Test
    void thrEmptyInterruptIsRaisedOnEnableAndClearedByReadingIir() {
        assertThat(uart.readRegister(IIR_FCR) & 0x0f).isEqualTo(IIR_NO_INT);
        uart.writeRegister(IER_DLM, IER_THRE);
        assertThat(irqLevel()).isTrue();
        assertThat(uart.readRegister(IIR_FCR) & 0x0f).isEqualTo(IIR_THRE);
        assertThat(irqLevel()).isFalse();
        uart.writeRegister(RBR_THR_DLL, 'a');
        assertThat(irqLevel()).isTrue();
    }

    @Test
    void receivedBytesRaiseTheDataInterruptAndDrainInOrder() throws Exception {
        uart.writeRegister(IIR_FCR, FCR_ENABLE);
        uart.writeRegister(IER_DLM, IER_RDA);
        uart.receive("ok".getBytes(), 2);
        assertThat(irqLevel()).isTrue();
        assertThat(uart.readRegister(LSR) & LSR_DR).isEqualTo(LSR_DR);
        assertThat(uart.readRegister(IIR_FCR)).isEqualTo(0xc0 | IIR_RDA);
        assertThat((char) uart.readRegister(RBR_THR_DLL)).isEqualTo('o');
        assertThat((char) uart.readRegister(RBR_THR_DLL)).isEqualTo('k');
        assertThat(uart.readRegister(LSR) & LSR_DR).isZero();
        assertThat(irqLevel()).isFalse();
    }

    @Test
    void inputWaitsForTheGuestInsteadOfOverrunning() throws Exception {
        uart.writeRegister(IIR_FCR, FCR_ENABLE);
        byte[] text = "0123456789abcdefXYZ".getBytes();   // 19 bytes: three more than the FIFO holds
        CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> {
            try {
                uart.receive(text, text.length);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        assertThat(feeder).isNotDone();
        StringBuilder got = new StringBuilder();
        while (got.length() < text.length) {
            if ((uart.readRegister(LSR) & LSR_DR) != 0) {
                got.append((char) uart.readRegister(RBR_THR_DLL));
            }
        }
        feeder.get(5, TimeUnit.SECONDS);
        assertThat(got.toString()).isEqualTo("0123456789abcdefXYZ");
        assertThat(uart.readRegister(LSR) & LSR_OE).isZero();
    }

    @Test
    void aFifoResetKeepsHostInputButDropsLoopbackData() throws Exception {
        uart.receive(new byte[] {'h'}, 1);                  // typed before the driver initialised the UART
        uart.writeRegister(IIR_FCR, FCR_ENABLE | FCR_CLEAR_RX);
        assertThat(uart.readRegister(RBR_THR_DLL)).isEqualTo('h');

        uart.writeRegister(MCR, MCR_LOOP);
        uart.writeRegister(RBR_THR_DLL, 0x11);
        uart.writeRegister(IIR_FCR, FCR_ENABLE | FCR_CLEAR_RX);
        assertThat(uart.readRegister(LSR) & LSR_DR).isZero();
    }

    @Test
    void loopbackEchoesAndMirrorsModemLines() {
        uart.writeRegister(MCR, MCR_LOOP | 0x0f);
        uart.writeRegister(RBR_THR_DLL, 0x55);
        assertThat(out.size()).isZero();
        assertThat(uart.readRegister(RBR_THR_DLL)).isEqualTo(0x55);
        assertThat(uart.readRegister(MSR)).isEqualTo(0xf0);
        uart.writeRegister(MCR, 0);
        assertThat(uart.readRegister(MSR)).isEqualTo(MSR_DCD | MSR_DSR | MSR_CTS);
    }

    @Test
    void scratchRegisterHoldsAValue() {
        uart.writeRegister(SCR, 0xa5);
        assertThat(uart.readRegister(SCR)).isEqualTo(0xa5);
    }
}
