{
  "targets": [
    {
      "target_name": "beacon_probe",
      "sources": ["addon.c", "attach.c", "reader.c"],
      "include_dirs": ["../build/bpf"],
      "cflags": ["-std=gnu11", "-O2", "-Wall", "-Wno-unused-parameter"],
      # prepack (scripts/prebuild.mjs) sets BEACON_PROBE_LIBS to link a -fPIC libbpf.a into the
      # prebuilt addons; a build from source (build:native, the install fallback) links the shared libbpf.
      "libraries": ["<!@(echo ${BEACON_PROBE_LIBS:--lbpf -lelf -lz -lpthread})"]
    }
  ]
}
