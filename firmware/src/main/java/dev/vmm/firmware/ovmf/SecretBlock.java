package dev.vmm.firmware.ovmf;

/** Where OVMF expects an injected launch secret (footer entry {@code 4c2eb361-...}). */
public record SecretBlock(long gpa, long size) {}
