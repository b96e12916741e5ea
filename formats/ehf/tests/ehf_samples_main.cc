// ehf_samples DIR: writes every sample document (samples.h) as DIR/<name>.xml, for the official
// Schematron check (official_rules.sh). Exit 0 on success, 1 when a sample cannot be written
// (a bug: the samples must be valid), 2 on usage or I/O errors.
#include <cstdio>
#include <fstream>
#include <string>

#include "formats/ehf/tests/samples.h"
#include "formats/ehf/ubl_writer.h"

int main(int argc, char** argv) {
  using namespace oppgjor::formats::ehf;
  if (argc != 2) {
    std::fprintf(stderr, "usage: ehf_samples DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  for (const samples::Named& sample : samples::all()) {
    auto xml = write_ubl(sample.document);
    if (!xml) {
      std::fprintf(stderr, "ehf_samples: %s: %s\n", sample.file_name.c_str(),
                   xml.error().to_string().c_str());
      return 1;
    }
    const std::string path = dir + "/" + sample.file_name;
    std::ofstream out(path, std::ios::binary);
    out << *xml;
    if (!out.flush()) {
      std::fprintf(stderr, "ehf_samples: cannot write %s\n", path.c_str());
      return 2;
    }
    std::printf("%s\n", path.c_str());
  }
  return 0;
}
