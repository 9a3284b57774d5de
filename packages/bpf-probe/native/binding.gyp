{
  "targets": [
    {
      "target_name": "beacon_probe",
      "sources": ["addon.c", "attach.c", "reader.c"],
      "include_dirs": ["../build/bpf"],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wno-unused-parameter"],
      "libraries": ["-lbpf", "-lelf", "-lz", "-lpthread"]
    }
  ]
}
