"""Nama status aduan yang dibaca petugas dan warga."""

#: Status aduan SiAduan, berurutan: baru -> diproses -> selesai, atau ditolak.
STATUS = ("baru", "diproses", "selesai", "ditolak")


def label_status(status):
    """Label status untuk ditampilkan, misalnya "diproses" -> "Sedang diproses".

    Status yang tidak dikenal menimbulkan ValueError.
    """
    # TODO (tugas Anda di cabang sendiri, lihat README langkah 4):
    #   "baru" -> "Baru", "diproses" -> "Sedang diproses", "selesai" -> "Selesai", "ditolak" -> "Ditolak";
    #   huruf besar/kecil dan spasi di tepi diabaikan ("  Baru " -> "Baru").
    raise NotImplementedError("label_status belum dibuat")
