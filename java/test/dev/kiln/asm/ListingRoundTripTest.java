package dev.kiln.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.asm.text.AsmParser;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The listing text is assembly the parser accepts: re-assembling every generated form from its
 * own listing gives the same bytes (needs no binutils, so it runs everywhere).
 */
class ListingRoundTripTest {
  @Test
  void everyGeneratedFormReassemblesFromItsListing() {
    List<UnaryOperator<FormGenerator>> groups = List.of(FormGenerator::addressing,
        FormGenerator::registerPairs, FormGenerator::memoryForms, FormGenerator::immediates,
        FormGenerator::unaryAndShifts, FormGenerator::multiplyAndExtend,
        FormGenerator::stackAndControl, FormGenerator::sse);
    int forms = 0;
    for (UnaryOperator<FormGenerator> group : groups) {
      List<String> lines = group.apply(new FormGenerator(99, 1)).lines;
      AsmParser.Result first = AsmParser.assemble(String.join("\n", lines));
      assertEquals(List.of(), first.errors());
      String listing = first.lines().stream().map(Listing.Line::text)
          .collect(Collectors.joining("\n"));
      AsmParser.Result second = AsmParser.assemble(listing);
      assertEquals(List.of(), second.errors());
      assertArrayEquals(first.code(), second.code());
      forms += lines.size();
    }
    System.out.println(forms + " forms reassembled from their listing text");
  }
}
