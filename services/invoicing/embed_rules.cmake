# Writes OUT: a C++ file with IN (the invoicing rule data) as a raw string literal, so the library
# never reads a data file at run time.
file(READ ${IN} content)
set(body "// Generated from services/invoicing/rules/ by embed_rules.cmake. Do not edit.\n")
string(APPEND body "#include <string_view>\n\nnamespace oppgjor::invoicing {\n")
string(APPEND body "std::string_view embedded_rules_json() {\n")
string(APPEND body "  return R\"oppgjor_rules(${content})oppgjor_rules\";\n}\n")
string(APPEND body "}  // namespace oppgjor::invoicing\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
