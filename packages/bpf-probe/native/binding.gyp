{
  "targets": [
    {
      "target_name": "beacon_probe",
      "sources": ["addon.c", "attach.c", "reader.c"],
      "include_dirs": ["../build/bpf"],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wno-unused-parameter"],
      "libraries": ["<!@(node -p \"process.env.BEACON_PROBE_LIBS || '-lbpf -lelf -lz -lpthread'\")"]
    }
  ]
}
