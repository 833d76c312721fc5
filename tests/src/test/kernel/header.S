/*
 * A bzImage-format test kernel: the real-mode boot sector with the setup header of the x86 boot
 * protocol 2.15 (Documentation/arch/x86/boot.rst), one setup sector, then the protected-mode kernel,
 * which a 64-bit boot loader puts at pref_address and enters at its offset 0x200.
 */
#define SETUP_SECTS 1
#define LOAD_ADDRESS 0x1000000

        .section .boot, "a"
        .code16
        .org 0x1f1
setup_sects:            .byte SETUP_SECTS
root_flags:             .word 0
syssize:                .long kernel_paragraphs   /* the protected-mode part in 16-byte units */
ram_size:               .word 0
vid_mode:               .word 0xffff
root_dev:               .word 0
boot_flag:              .word 0xaa55
        /* 0x200: a short jump over the header; its offset byte says where the header ends. */
        .byte 0xeb, header_end - header_start
header_start:
header:                 .ascii "HdrS"
version:                .word 0x020f
realmode_swtch:         .long 0
start_sys_seg:          .word 0
kernel_version:         .word 0
type_of_loader:         .byte 0
loadflags:              .byte 1                 /* LOADED_HIGH */
setup_move_size:        .word 0
code32_start:           .long LOAD_ADDRESS
ramdisk_image:          .long 0
ramdisk_size:           .long 0
bootsect_kludge:        .long 0
heap_end_ptr:           .word 0
ext_loader_ver:         .byte 0
ext_loader_type:        .byte 0
cmd_line_ptr:           .long 0
initrd_addr_max:        .long 0x37ffffff
kernel_alignment:       .long 0x200000
relocatable_kernel:     .byte 0
min_alignment:          .byte 21
xloadflags:             .word 1                 /* XLF_KERNEL_64 */
cmdline_size:           .long 2047
hardware_subarch:       .long 0
hardware_subarch_data:  .quad 0
payload_offset:         .long 0
payload_length:         .long 0
setup_data:             .quad 0
pref_address:           .quad LOAD_ADDRESS
init_size:              .long kernel_memory_size
handover_offset:        .long 0
kernel_info_offset:     .long 0
header_end:
        .org (SETUP_SECTS + 1) * 512

        .section .text.head, "ax"
        .code32
startup_32:             /* only the 64-bit entry is used; a 32-bit boot stops here */
        hlt
        jmp startup_32

        .org 0x200
        .code64
        .globl startup_64
startup_64:
        /* The protocol's state, read before anything changes it: selectors and RFLAGS. */
        movw %cs, %ax
        movw %ax, entry_cs(%rip)
        movw %ds, %ax
        movw %ax, entry_ds(%rip)
        movw %ss, %ax
        movw %ax, entry_ss(%rip)
        movq %rsp, entry_rsp(%rip)
        leaq stack_top(%rip), %rsp
        pushfq
        popq %rax
        movq %rax, entry_rflags(%rip)
        movq %rsi, %rdi
        call kmain
1:      hlt
        jmp 1b

        /* #BP and #UD handlers of the trap test: count, step over UD2 (a fault saves its own RIP). */
        .globl bp_handler, ud_handler
bp_handler:
        incl bp_count(%rip)
        iretq
ud_handler:
        incl ud_count(%rip)
        addq $2, (%rsp)
        iretq

        .section .bss
        .balign 16
        .globl bp_count, ud_count
bp_count:       .long 0
ud_count:       .long 0
        .globl entry_cs, entry_ds, entry_ss, entry_rflags, entry_rsp
entry_cs:       .word 0
entry_ds:       .word 0
entry_ss:       .word 0
        .balign 8
entry_rflags:   .quad 0
entry_rsp:      .quad 0
        .balign 16
stack:          .skip 16384
stack_top:
