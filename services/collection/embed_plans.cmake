# Writes OUT: a C++ file with IN (the dunning plans) as a raw string literal, so the library never
# reads a data file at run time (as embed_rates.cmake does for the rates).
file(READ ${IN} content)
set(body "// Generated from services/collection/rules/dunning_plans.json by embed_plans.cmake.\n")
string(APPEND body "#include <string_view>\n\nnamespace oppgjor::collection {\n")
string(APPEND body "std::string_view embedded_dunning_plans_json() {\n")
string(APPEND body "  return R\"oppgjor_rules(${content})oppgjor_rules\";\n}\n")
string(APPEND body "}  // namespace oppgjor::collection\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
