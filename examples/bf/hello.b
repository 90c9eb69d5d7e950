Prints Hello and Kiln with an exclamation mark and a newline

Set up three cells with one multiply loop
  cell 1 = 8 times 9 = 72 (H)
  cell 2 = 8 times 13 = 104 (h)
  cell 3 = 8 times 4 = 32 (space)
++++++++[>+++++++++>+++++++++++++>++++<<<-]
>.                     H
>---.                  e is 101
+++++++..              l is 108 (twice)
+++.                   o is 111
>++++++++++++.         comma is 44
------------.          space is 32
<<+++.                 K is 75
>------.               i is 105
+++.                   l is 108
++.                    n is 110
>+.                    exclamation mark is 33
-----------------------.   newline is 10
