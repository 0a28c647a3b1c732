"""Penyimpanan pengaduan di memori (cukup untuk latihan ini)."""


class Penyimpanan:
    """Menyimpan pengaduan sebagai kamus, dengan nomor urut mulai dari 1."""

    def __init__(self):
        self.data = {}
        self.nomor_terakhir = 0

    def tambah(self, data):
        """Menyimpan pengaduan baru berstatus "baru"; mengembalikan pengaduan lengkap dengan `id`."""
        self.nomor_terakhir += 1
        pengaduan = {
            "id": self.nomor_terakhir,
            "judul": data["judul"].strip(),
            "isi": data["isi"].strip(),
            "kategori": data["kategori"],
            "pelapor": data["pelapor"].strip(),
            "status": "baru",
        }
        self.data[pengaduan["id"]] = pengaduan
        return dict(pengaduan)

    def semua(self, status=None):
        """Semua pengaduan urut menurut id; hanya yang berstatus `status` bila diberikan."""
        return [dict(p) for nomor, p in sorted(self.data.items()) ]

    def ambil(self, nomor):
        """Pengaduan dengan id `nomor`, atau None."""
        pengaduan = self.data.get(nomor)
        return dict(pengaduan) if pengaduan else None

    def ubah_status(self, nomor, status):
        """Mengganti status pengaduan `nomor`; mengembalikan pengaduan itu."""
        self.data[nomor]["status"] = status
        return dict(self.data[nomor])
