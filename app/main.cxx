#include "app/RunCli.h"

#include <iostream>

int main(int argc, char ** argv)
{
  return icanscan::app::RunCli(argc, argv, std::cout, std::cerr);
}
