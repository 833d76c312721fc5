/* Addresses and constants shared by the boot code, the AP trampoline and the C payload. */
#define PML4_ADDR   0x1000
#define PDPT_ADDR   0x2000
#define PD_ADDR     0x3000
#define AP_TRAMPOLINE 0x8000
#define SIPI_VECTOR (AP_TRAMPOLINE >> 12)

#define SEL_CODE32  0x08
#define SEL_DATA    0x10
#define SEL_CODE64  0x18
/* Accessed bits preset: the GDT is in ROM, where the CPU could not set them. */
#define GDT_CODE32  0x00CF9B000000FFFF
#define GDT_DATA    0x00CF93000000FFFF
#define GDT_CODE64  0x00AF9B000000FFFF

#define CR0_PE      0x1
#define CR0_PG      0x80000000
#define CR4_PAE     0x20
#define MSR_EFER    0xC0000080
#define EFER_LME    0x100
#define PTE_P       0x1
#define PTE_W       0x2
#define PTE_PS      0x80

#define MAX_CPUS    64
#define STACK_SIZE  4096
