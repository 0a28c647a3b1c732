"""Nama status aduan yang dibaca petugas dan warga."""

#: Status aduan SiAduan, berurutan: baru -> diproses -> selesai, atau ditolak.
STATUS = ("baru", "diproses", "selesai", "ditolak")

LABEL = {"baru": "Baru", "diproses": "Sedang diproses", "selesai": "Selesai", "ditolak": "Ditolak"}


def label_status(status):
    """Label status untuk ditampilkan, misalnya "diproses" -> "Sedang diproses".

    Status yang tidak dikenal menimbulkan ValueError.
    """
    kunci = status.strip().lower()
    if kunci not in LABEL:
        raise ValueError(f"status tidak dikenal: {status!r}")
    return LABEL[kunci]
