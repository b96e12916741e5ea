// A hand-written OCR giro file for the tests, written field by field with the positions of the
// Nets manual (research notes §4.2) so a reader can hold it against the layout.
//
// One transmission, one assignment, three transactions:
//   1. type 10 giro debited account, 1 020.00 NOK, MOD10 KID 123456782, 15.01.2025
//   2. type 18 reversal with KID,      560.00 NOK, MOD11 KID 40- (check character '-'), 15.01.2025
//   3. type 21 purchase with free text,  1.00 NOK, KID 2345676 + record 32, 16.01.2025
// 88: 3 transactions, 9 records (20 + 2 + 2 + 3 + 88), 158 100 øre, dates 15.01.25–16.01.25.
// 89: 3 transactions, 11 records (10 + 9 + 89), 158 100 øre.
#pragma once

#include <string>
#include <vector>

namespace oppgjor::formats::ocr::testing {

// clang-format off
inline std::vector<std::string> sample_records() {
  return {
      // Record 1: start of transmission.
      "NY"                           //  1-2   format code
      "00"                           //  3-4   service code (transmission)
      "00"                           //  5-6   transmission type
      "10"                           //  7-8   record type
      "00008080"                     //  9-16  data transmitter (Nets)
      "0170031"                      // 17-23  transmission number
      "00010200"                     // 24-31  data recipient
      "0000000000000000000000000000000000000000000000000",  // 32-80 filler (49)

      // Record 2: start of assignment.
      "NY"                           //  1-2
      "09"                           //  3-4   service code: OCR giro
      "00"                           //  5-6   assignment type
      "20"                           //  7-8
      "001008566"                    //  9-17  agreement id
      "0000002"                      // 18-24  assignment number
      "86011117947"                  // 25-35  assignment account
      "000000000000000000000000000000000000000000000",  // 36-80 filler (45)

      // Record 3: transaction 1, amount item 1.
      "NY" "09"
      "10"                           //  5-6   transaction type 10
      "30"                           //  7-8
      "0000001"                      //  9-15  transaction number
      "150125"                       // 16-21  nets date 15.01.2025
      "13"                           // 22-23  centre id
      "15"                           // 24-25  day code
      "1"                            // 26     partial settlement number
      "01464"                        // 27-31  serial number
      "0"                            // 32     sign
      "00000000000102000"            // 33-49  amount (øre)
      "                123456782"    // 50-74  KID, right-aligned (16 blanks + 9)
      "000000",                      // 75-80  filler

      // Record 4: transaction 1, amount item 2.
      "NY" "09" "10"
      "31"                           //  7-8
      "0000001"                      //  9-15  transaction number
      "9636827194"                   // 16-25  form number
      "099038562"                    // 26-34  archive reference
      "1883206"                      // 35-41  "filler" with data, kept verbatim
      "140125"                       // 42-47  bank date 14.01.2025
      "86011117947"                  // 48-58  debit account
      "0000000000000000000000",      // 59-80  filler (22)

      // Record 5: transaction 2 (reversal with KID), amount item 1.
      "NY" "09"
      "18"                           //  5-6   transaction type 18
      "30"
      "0000002"                      //  9-15
      "150125"                       // 16-21
      "13" "15" "1" "01465"          // 22-31  centre, day code, partial, serial
      "-"                            // 32     sign
      "00000000000056000"            // 33-49  amount
      "                      40-"    // 50-74  KID (22 blanks + 3)
      "000000",                      // 75-80

      // Record 6: transaction 2, amount item 2.
      "NY" "09" "18" "31"
      "0000002"                      //  9-15
      "0000000000"                   // 16-25  form number
      "123456001"                    // 26-34  BAX number + session
      "0000000"                      // 35-41
      "000000"                       // 42-47  bank date unknown
      "00000000000"                  // 48-58  debit account unknown
      "0000000000000000000000",      // 59-80

      // Record 7: transaction 3 (purchase with free text), amount item 1.
      "NY" "09"
      "21"                           //  5-6   transaction type 21
      "30"
      "0000003"                      //  9-15
      "160125"                       // 16-21  nets date 16.01.2025
      "13" "16" "2" "00007"          // 22-31
      "0"                            // 32
      "00000000000000100"            // 33-49
      "                  2345676"    // 50-74  KID (18 blanks + 7)
      "000000",                      // 75-80

      // Record 8: transaction 3, amount item 2.
      "NY" "09" "21" "31"
      "0000003"
      "0000000000" "000000000" "0000000"
      "160125"                       // 42-47
      "86011117947"                  // 48-58
      "0000000000000000000000",

      // Record 9: transaction 3, amount item 3.
      "NY" "09" "21" "32"
      "0000003"                      //  9-15
      "Faktura 2025-17 Oslo kommune            "  // 16-55 free text (40)
      "0000000000000000000000000",   // 56-80  filler (25)

      // Record 10: end of assignment.
      "NY" "09" "00"
      "88"
      "00000003"                     //  9-16  number of transactions
      "00000009"                     // 17-24  number of records (20 and 88 included)
      "00000000000158100"            // 25-41  sum of amounts (reversal added)
      "160125"                       // 42-47  nets date
      "150125"                       // 48-53  first nets date
      "160125"                       // 54-59  last nets date
      "000000000000000000000",       // 60-80  filler (21)

      // Record 11: end of transmission.
      "NY" "00" "00"
      "89"
      "00000003"                     //  9-16  number of transactions
      "00000011"                     // 17-24  number of records (all, 10 and 89 included)
      "00000000000158100"            // 25-41  sum of amounts
      "160125"                       // 42-47  nets date
      "000000000000000000000000000000000",  // 48-80 filler (33)
  };
}
// clang-format on

inline std::string join_records(const std::vector<std::string>& records,
                                const std::string& eol = "\n", bool final_eol = true) {
  std::string out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    out += records[i];
    if (final_eol || i + 1 < records.size()) out += eol;
  }
  return out;
}

inline std::string sample_file(const std::string& eol = "\n") {
  return join_records(sample_records(), eol);
}

}  // namespace oppgjor::formats::ocr::testing
