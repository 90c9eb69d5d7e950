package dev.kiln.backend.opt;

import static dev.kiln.backend.opt.PassAssert.assertPasses;

import org.junit.jupiter.api.Test;

class RedundantMemoryAccessesTest {
  private static final Pass MEM = new RedundantMemoryAccesses();

  @Test
  void reusesARepeatedLoadAndForwardsAStoreNarrowedAsTheLoadExtends() {
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0 + 1]
            v3 = load.u8 $m [v0 + 1]
            v4 = iadd v2, v3
            store.i8 v1, $m [v0 + 2]
            v5 = load.u8 $m [v0 + 2]
            v6 = load.i8 $m [v0 + 2]
            v7 = load.u8 $m [v0 + 2]
            store.i64 v1, $m [v0 + 8]
            v8 = load.i64 $m [v0 + 8]
            v9 = iadd v4, v5
            v10 = iadd v9, v6
            v11 = iadd v10, v7
            v12 = iadd v11, v8
            return v12
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0 + 1]
            v3 = iadd v2, v2
            store.i8 v1, $m [v0 + 2]
            v4 = iconst 255
            v5 = band v1, v4
            v6 = iconst 56
            v7 = ishl v1, v6
            v8 = sshr v7, v6
            store.i64 v1, $m [v0 + 8]
            v9 = iadd v3, v5
            v10 = iadd v9, v8
            v11 = iadd v10, v5
            v12 = iadd v11, v1
            return v12
        }
        """, MEM);
  }

  @Test
  void keepsLoadsAfterAStoreThatMayAliasACallOrAnotherWidth() {
    String kept = """
        memory $m 64
        memory $n 64
        import @g()
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.u8 $m [v0]
            store.i8 v2, $m [v1]
            v4 = load.u8 $m [v0]
            call @g()
            v5 = load.u8 $m [v0]
            v6 = load.u16 $m [v0]
            v7 = load.i8 $m [v0]
            store.i64 v2, $m [v0 + 8]
            v8 = load.f64 $m [v0 + 8]
            v9 = load.i32 $m [v0 + 12]
            v10 = iadd v3, v4
            v11 = iadd v10, v5
            v12 = iadd v11, v6
            v13 = iadd v12, v7
            v14 = bitcast.i64 v8
            v15 = iadd v13, v14
            v16 = iadd v15, v9
            return v16
        }
        """;
    assertPasses(kept, kept, MEM);
  }

  @Test
  void anAccessAtAnotherOffsetOfTheSameBaseOrAnotherMemoryDoesNotAlias() {
    assertPasses("""
        memory $m 64
        memory $n 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0]
            store.i8 v1, $m [v0 + 1]
            store.i64 v1, $n [v0]
            v3 = load.u8 $m [v0]
            v4 = iadd v2, v3
            return v4
        }
        """, """
        memory $m 64
        memory $n 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0]
            store.i8 v1, $m [v0 + 1]
            store.i64 v1, $n [v0]
            v3 = iadd v2, v2
            return v3
        }
        """, MEM);
  }

  @Test
  void constantBasesCompareByTheAddressTheyAddUpTo() {
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = iconst 6
            store.i8 v0, $m [v1 + 3]
            store.i8 v0, $m [v2 + 1]
            v3 = load.u8 $m [v2]
            return v3
        }
        """, """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = iconst 3
            v2 = iconst 6
            store.i8 v0, $m [v1 + 3]
            store.i8 v0, $m [v2 + 1]
            v3 = iconst 255
            v4 = band v0, v3
            return v4
        }
        """, MEM);
  }

  @Test
  void aConstantBaseMayAliasAVariableOneOrAnIndexedOne() {
    String kept = """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = iconst 6
            v3 = load.u8 $m [v2]
            store.i8 v1, $m [v0 + 6]
            v4 = load.u8 $m [v2]
            store.i8 v1, $m [v2 + v0*1]
            v5 = load.u8 $m [v2]
            v6 = iadd v3, v4
            v7 = iadd v6, v5
            return v7
        }
        """;
    assertPasses(kept, kept, MEM);
  }

  @Test
  void removesAStoreOfTheValueAlreadyThere() {
    assertPasses("""
        memory $m 64
        function @f(i64) {
        block0(v0: i64):
            v1 = load.i32 $m [v0]
            store.i32 v1, $m [v0]
            return
        }
        """, """
        memory $m 64
        function @f(i64) {
        block0(v0: i64):
            v1 = load.i32 $m [v0]
            return
        }
        """, MEM);
  }

  @Test
  void removesAStoreOverwrittenBeforeAnythingCouldReadItOrTrap() {
    assertPasses("""
        memory $m 64
        function @f(i64, i64) {
        block0(v0: i64, v1: i64):
            store.i8 v1, $m [v0]
            v2 = iadd v1, v1
            store.i8 v2, $m [v0]
            return
        }
        """, """
        memory $m 64
        function @f(i64, i64) {
        block0(v0: i64, v1: i64):
            store.i8 v1, $m [v0]
            v2 = iadd v1, v1
            store.i8 v2, $m [v0]
            return
        }
        """.replaceFirst("    store.i8 v1, \\$m \\[v0\\]\n", ""), MEM);
  }

  @Test
  void keepsAStoreThatATrapCallOrAliasingLoadCouldObserve() {
    String kept = """
        memory $m 64
        import @g()
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.u8 $m [v1]
            store.i8 v1, $m [v0]
            trapnz v2, 7
            store.i8 v2, $m [v0]
            call @g()
            store.i8 v1, $m [v0]
            v4 = load.u8 $m [v1]
            store.i8 v2, $m [v0]
            v5 = load.u8 $m [v0 + 1]
            store.i8 v1, $m [v0]
            v6 = iadd v3, v4
            v7 = iadd v6, v5
            return v7
        }
        """;
    assertPasses(kept, kept, MEM);
  }

  @Test
  void aBlockReachedByOneEdgeKnowsItsPredecessorsMemoryAndAJoinWhatEachPredecessorKnows() {
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0]
            store.i8 v1, $m [v0 + 1]
            brif v2, block1, block2
        block1:
            v3 = load.u8 $m [v0]
            store.i8 v3, $m [v0 + 1]
            jump block2
        block2:
            v4 = load.u8 $m [v0]
            return v4
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0]
            store.i8 v1, $m [v0 + 1]
            brif v2, block1, block2
        block1:
            store.i8 v2, $m [v0 + 1]
            jump block2
        block2:
            return v2
        }
        """, MEM);
  }

  @Test
  void aJoinTakesAValueKnownAfterAStoreThatCannotAliasItAndZeroAlongTheFalseEdgesOfItsTest() {
    // a loop nest that keeps the pointer still, as Brainfuck's [-[-[-]]] inside a loop; when
    // the inner loop ends, the cell is zero and so is it for each loop whose latch the exit
    // falls through: their branches fold
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $m [v0]
            brif v1, block1, block5
        block1:
            v2 = iconst 1
            v3 = isub v1, v2
            store.i8 v3, $m [v0]
            v4 = load.u8 $m [v0]
            brif v4, block2, block4
        block2:
            v5 = load.u8 $m [v0]
            v6 = isub v5, v2
            store.i8 v6, $m [v0]
            v7 = load.u8 $m [v0 + 1]
            v8 = iadd v7, v2
            store.i8 v8, $m [v0 + 1]
            v9 = load.u8 $m [v0]
            brif v9, block2, block3
        block3:
            store.i8 v2, $m [v0 + 2]
            v10 = load.u8 $m [v0]
            brif v10, block2, block4
        block4:
            v11 = load.u8 $m [v0]
            brif v11, block1, block5
        block5:
            v12 = load.u8 $m [v0 + 1]
            return v12
        }
        """, """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $m [v0]
            brif v1, block1, block5
        block1:
            v2 = iconst 1
            v3 = isub v1, v2
            store.i8 v3, $m [v0]
            v4 = iconst 255
            v5 = band v3, v4
            brif v5, block2(v5), block4
        block2(v6: i64):
            v7 = isub v6, v2
            store.i8 v7, $m [v0]
            v8 = load.u8 $m [v0 + 1]
            v9 = iadd v8, v2
            store.i8 v9, $m [v0 + 1]
            v10 = iconst 255
            v11 = band v7, v10
            brif v11, block2(v11), block3
        block3:
            store.i8 v2, $m [v0 + 2]
            jump block4
        block4:
            jump block5
        block5:
            v12 = load.u8 $m [v0 + 1]
            return v12
        }
        """, MEM, new DeadCodeElimination()); // dce: the constants of the folded branches
    // a store that may alias the cell keeps the load
    String aliased = """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.u8 $m [v0]
            brif v2, block1, block2
        block1:
            jump block2
        block2:
            store.i8 v1, $m [v1]
            v3 = load.u8 $m [v0]
            return v3
        }
        """;
    assertPasses(aliased, aliased, MEM);
  }

  @Test
  void aFoldedBranchLeavesBlocksWithOnePredecessorAndTheNextSweepForwardsIntoThem() {
    // Brainfuck's [->+<[->+<]]: the outer loop's latch tests the cell the inner loop left zero;
    // once it folds, the outer body is entered only from the entry and reads what it tested
    assertPasses("""
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $m [v0]
            brif v1, block1, block4
        block1:
            v2 = load.u8 $m [v0]
            v3 = iconst 255
            v4 = iadd v2, v3
            store.i8 v4, $m [v0]
            v5 = load.u8 $m [v0 + 1]
            v6 = iconst 1
            v7 = iadd v5, v6
            store.i8 v7, $m [v0 + 1]
            v8 = load.u8 $m [v0]
            brif v8, block2, block3
        block2:
            v9 = load.u8 $m [v0]
            v10 = iadd v9, v3
            store.i8 v10, $m [v0]
            v11 = load.u8 $m [v0 + 1]
            v12 = iadd v11, v6
            store.i8 v12, $m [v0 + 1]
            v13 = load.u8 $m [v0]
            brif v13, block2, block3
        block3:
            v14 = load.u8 $m [v0]
            brif v14, block1, block4
        block4:
            v15 = load.u8 $m [v0 + 1]
            return v15
        }
        """, """
        memory $m 64
        function @f(i64) -> i64 {
        block0(v0: i64):
            v1 = load.u8 $m [v0]
            brif v1, block1, block4
        block1:
            v2 = iconst 255
            v3 = iadd v1, v2
            store.i8 v3, $m [v0]
            v4 = load.u8 $m [v0 + 1]
            v5 = iconst 1
            v6 = iadd v4, v5
            store.i8 v6, $m [v0 + 1]
            v7 = iconst 255
            v8 = band v3, v7
            v9 = iconst 255
            v10 = band v6, v9
            brif v8, block2(v8, v10), block3
        block2(v11: i64, v12: i64):
            v13 = iadd v11, v2
            store.i8 v13, $m [v0]
            v14 = iadd v12, v5
            store.i8 v14, $m [v0 + 1]
            v15 = iconst 255
            v16 = band v13, v15
            v17 = iconst 255
            v18 = band v14, v17
            brif v16, block2(v16, v18), block3
        block3:
            jump block4
        block4:
            v19 = load.u8 $m [v0 + 1]
            return v19
        }
        """, MEM, new DeadCodeElimination());
  }

  @Test
  void aBoundsCheckOfTheSameIndexAndLengthAsAnEarlierOneGoes() {
    // a[i] = a[i] + x: the two length loads become one, and so do the two checks
    assertPasses("""
        memory $m 64
        function @f(i64, i64, i64) {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0]
            bounds_check v1, v3
            v4 = load.i64 $m [v0 + v1*8 + 8]
            v5 = iadd v4, v2
            v6 = load.i64 $m [v0]
            bounds_check v1, v6
            store.i64 v5, $m [v0 + v1*8 + 8]
            brif v2, block1, block2
        block1:
            bounds_check v1, v3
            return
        block2:
            return
        }
        """, """
        memory $m 64
        function @f(i64, i64, i64) {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0]
            bounds_check v1, v3
            v4 = load.i64 $m [v0 + v1*8 + 8]
            v5 = iadd v4, v2
            store.i64 v5, $m [v0 + v1*8 + 8]
            brif v2, block1, block2
        block1:
            return
        block2:
            return
        }
        """, MEM);
  }

  @Test
  void keepsABoundsCheckOfAnotherIndexOrLengthOrAfterAJoin() {
    // the store may overwrite the length, so the second load and its check stay
    String kept = """
        memory $m 64
        function @f(i64, i64, i64) {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0]
            bounds_check v1, v3
            bounds_check v2, v3
            store.i64 v2, $m [v0 + v1*8 + 8]
            v4 = load.i64 $m [v0]
            bounds_check v1, v4
            brif v2, block1, block2
        block1:
            bounds_check v2, v4
            jump block2
        block2:
            bounds_check v2, v4
            return
        }
        """;
    assertPasses(kept, kept, MEM);
  }

  /** A scan {@code while a[i] < x { i += 1; }}: memory is as it was before the loop. */
  private static final String SCAN = """
      memory $m 64
      import @g()
      function @f(i64, i64, i64) -> i64 {
      block0(v0: i64, v1: i64, v2: i64):
          v3 = load.i64 $m [v0]
          bounds_check v1, v3
          jump block1(v1)
      block1(v4: i64):
          v5 = load.i64 $m [v0]
          bounds_check v4, v5
          v6 = load.i64 $m [v0 + v4*8 + 8]
          v7 = iconst 1
          v8 = iadd v4, v7
          v9 = icmp slt v6, v2
          brif v9, block1(v8), block2
      block2:
          v10 = load.i64 $m [v0]
          bounds_check v4, v10
          store.i64 v2, $m [v0 + v4*8 + 8]
          return v4
      }
      """;

  @Test
  void aLoopThatNeitherStoresNorCallsKnowsTheMemoryOfItsEntry() {
    assertPasses(SCAN, """
        memory $m 64
        import @g()
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0]
            bounds_check v1, v3
            jump block1(v1)
        block1(v4: i64):
            bounds_check v4, v3
            v6 = load.i64 $m [v0 + v4*8 + 8]
            v7 = iconst 1
            v8 = iadd v4, v7
            v9 = icmp slt v6, v2
            brif v9, block1(v8), block2
        block2:
            store.i64 v2, $m [v0 + v4*8 + 8]
            return v4
        }
        """, MEM);
  }

  @Test
  void notALoopThatStoresOrCallsButOneEnteredFromTwoBlocksThroughAParameter() {
    for (String inLoop : new String[] {"store.i64 v2, $m [v0 + v4*8 + 16]", "call @g()"}) {
      String kept = SCAN.replace("    v7 = iconst 1\n", "    " + inLoop + "\n    v7 = iconst 1\n")
          .replace("""
                  v10 = load.i64 $m [v0]
                  bounds_check v4, v10
              """, "");
      assertPasses(kept, kept, MEM);
    }
    // entered from two blocks, the header takes the value both entries know (its latch passes
    // back what the header read)
    assertPasses("""
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0]
            brif v1, block1(v1), block2
        block2:
            v3 = load.i64 $m [v0 + 8]
            jump block1(v3)
        block1(v4: i64):
            v5 = load.i64 $m [v0]
            brif v5, block1(v4), block3
        block3:
            return v4
        }
        """, """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            v2 = load.i64 $m [v0]
            brif v1, block2(v1), block1
        block1:
            v3 = load.i64 $m [v0 + 8]
            jump block2(v3)
        block2(v4: i64):
            brif v2, block2(v4), block3
        block3:
            return v4
        }
        """, MEM);
  }

  @Test
  void reusesAnInvariantLoadAcrossAStoreThatMayAliasAndACallButOnlyForAnInvariantLoad() {
    assertPasses("""
        memory $m 64
        import @g()
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0] invariant
            store.i64 v2, $m [v0 + v1*8 + 8]
            v4 = load.i64 $m [v0] invariant
            call @g()
            v5 = load.i64 $m [v0] invariant
            v6 = load.i64 $m [v0]
            v7 = iadd v3, v4
            v8 = iadd v7, v5
            v9 = iadd v8, v6
            return v9
        }
        """, """
        memory $m 64
        import @g()
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0] invariant
            store.i64 v2, $m [v0 + v1*8 + 8]
            call @g()
            v4 = load.i64 $m [v0]
            v5 = iadd v3, v3
            v6 = iadd v5, v3
            v7 = iadd v6, v4
            return v7
        }
        """, MEM);
  }

  @Test
  void keepsAStoreOfTheValueAnInvariantLoadReadBeforeAStoreThatMayAlias() {
    String kept = """
        memory $m 64
        function @f(i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            v3 = load.i64 $m [v0] invariant
            store.i64 v2, $m [v1]
            store.i64 v3, $m [v0]
            return v3
        }
        """;
    assertPasses(kept, kept, MEM);
  }

  @Test
  void keepsAnInvariantLoadAfterTheLoopWhereAStoreClobberedTheSameBytes() {
    String kept = """
        memory $m 64
        function @f(i64, i64) -> i64 {
        block0(v0: i64, v1: i64):
            jump block1(v1)
        block1(v2: i64):
            v3 = load.i64 $m [v0] invariant
            store.i64 v2, $m [v0 + v2*8 + 8]
            v4 = isub v2, v3
            brif v4, block1(v4), block2
        block2:
            v5 = load.i64 $m [v0] invariant
            return v5
        }
        """;
    assertPasses(kept, kept, MEM);
  }
}
