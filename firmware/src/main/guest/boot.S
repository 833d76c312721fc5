/*
 * BSP path from reset to long mode. Page tables identity-map the first 4 GiB with 2 MiB pages:
 * PML4 at 0x1000, PDPT at 0x2000, four page directories at 0x3000-0x6FFF. The APs reuse them.
 */
#include "layout.h"
#include "long_mode.h"

    .section .reset, "ax"
    .code16
    .globl reset_vector
reset_vector:
    cli
    jmp boot16

    .section .boot, "ax"
    .code16
boot16:
    cld
    /* CS.base is 0xFFFF0000 after reset, so the GDT is reached through CS with its low 16 bits. */
    lgdtl %cs:(gdt_desc - 0xFFFF0000)
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $boot32

    .code32
boot32:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss

    /* Copy the payload to RAM and clear its bss. */
    movl $__payload_lma, %esi
    movl $__payload_vma, %edi
    movl $__payload_size, %ecx
    shrl $2, %ecx
    rep movsl
    movl $__bss_start, %edi
    movl $__bss_size, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl

    /* Page tables. */
    movl $PML4_ADDR, %edi
    movl $((PD_ADDR + 0x4000 - PML4_ADDR) / 4), %ecx
    xorl %eax, %eax
    rep stosl
    movl $(PDPT_ADDR | PTE_P | PTE_W), PML4_ADDR
    movl $PDPT_ADDR, %edi
    movl $(PD_ADDR | PTE_P | PTE_W), %eax
    movl $4, %ecx
1:  movl %eax, (%edi)
    addl $0x1000, %eax
    addl $8, %edi
    loop 1b
    movl $PD_ADDR, %edi
    movl $(PTE_P | PTE_W | PTE_PS), %eax
    xorl %edx, %edx
    movl $2048, %ecx
2:  movl %eax, (%edi)
    movl %edx, 4(%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 2b

    ENTER_LONG_MODE bsp_entry64

    .balign 8
gdt:
    .quad 0
    .quad GDT_CODE32
    .quad GDT_DATA
    .quad GDT_CODE64
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
