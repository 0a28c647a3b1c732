"""Penyimpanan pengaduan di memori (cukup untuk latihan ini)."""


class Penyimpanan:
    """Menyimpan pengaduan sebagai kamus, dengan nomor urut mulai dari 1."""

    def __init__(self):
        self.data = {}
        self.nomor_terakhir = 0

    def tambah(self, data):
        """Menyimpan pengaduan baru berstatus "baru"; mengembalikan pengaduan lengkap dengan `id`."""
        # TODO
        raise NotImplementedError("tambah belum dibuat")

    def semua(self, status=None):
        """Semua pengaduan urut menurut id; hanya yang berstatus `status` bila diberikan."""
        # TODO
        raise NotImplementedError("semua belum dibuat")

    def ambil(self, nomor):
        """Pengaduan dengan id `nomor`, atau None."""
        # TODO
        raise NotImplementedError("ambil belum dibuat")

    def ubah_status(self, nomor, status):
        """Mengganti status pengaduan `nomor`; mengembalikan pengaduan itu."""
        # TODO
        raise NotImplementedError("ubah_status belum dibuat")
