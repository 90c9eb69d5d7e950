A busy loop benchmark: four nested countdown loops (5 x 200 x 200 x 200 = 40 million inner
iterations); each inner iteration bumps a running byte counter and shuffles a value between
two cells with small inner loops; at the end prints the counter as a digit
(40000000 mod 256 is 0 so the counter ends at 0 and 48 is added to print the digit 0)

cell 0 = 5 (outermost counter)
+++++
[
  cell 1 = 200
  >>++++++++++[<++++++++++++++++++++>-]<
  [
    cell 2 = 200
    >>++++++++++[<++++++++++++++++++++>-]<
    [
      cell 3 = 200
      >>++++++++++[<++++++++++++++++++++>-]<
      [
        cell 5 = running counter
        >>+
        cell 6 = 3 then moved to cell 7 and back then cleared
        >+++[>+<-]>[<+>-]<[-]
        back to cell 3 and count down
        <<<-
      ]
      <-
    ]
    <-
  ]
  <-
]
cell 5 plus 48 is the digit 0
>>>>>++++++++++++++++++++++++++++++++++++++++++++++++.
and a newline
[-]++++++++++.
